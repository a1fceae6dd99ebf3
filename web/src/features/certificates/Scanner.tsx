import { type ChangeEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pixelsOf, readQr, readQrFromFile } from './qr-image.ts';
import './messages.ts';

/** How often a camera frame is decoded: often enough to feel instant, rarely enough for an old phone. */
const frameEveryMs = 200;
/** Camera frames are decoded at most this size: a QR code filling part of the view reads well at it. */
const frameSide = 720;

type CameraState = 'off' | 'starting' | 'on' | 'denied' | 'unavailable';

/** Whether this page may ask for a camera at all (browsers offer one only to secure pages). */
function cameraPossible(): boolean {
  return typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia) && window.isSecureContext;
}

/**
 * Reading the code with the device: the camera, decoding its frames until a QR code is seen, or a
 * photo taken with the camera app (the file input's capture), for a browser that offers no live camera.
 * Nothing seen is sent anywhere: frames are decoded here and dropped.
 */
export function Scanner({ onText }: { onText(text: string): void }) {
  const { t } = useTranslation('certificates');
  const [camera, setCamera] = useState<CameraState>(cameraPossible() ? 'off' : 'unavailable');
  const [photoProblem, setPhotoProblem] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const photoId = useId();
  // The latest handler, for the frame loop that outlives a render.
  const found = useRef(onText);
  useEffect(() => {
    found.current = onText;
  });

  const stop = useCallback(() => {
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    setCamera((state) => (state === 'on' || state === 'starting' ? 'off' : state));
  }, []);

  // The camera is released when the page closes, whatever state it was in.
  useEffect(() => stop, [stop]);

  // While the camera is on, a frame is decoded every so often until one holds a code.
  useEffect(() => {
    if (camera !== 'on') return;
    const canvas = document.createElement('canvas');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const look = async () => {
      const element = video.current;
      if (cancelled || !element) return;
      if (element.readyState >= element.HAVE_CURRENT_DATA && element.videoWidth) {
        const pixels = pixelsOf(element, element.videoWidth, element.videoHeight, canvas, frameSide);
        const text = pixels ? await readQr(pixels) : null;
        if (cancelled) return;
        if (text) {
          stop();
          found.current(text);
          return;
        }
      }
      timer = setTimeout(() => void look(), frameEveryMs);
    };
    void look();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [camera, stop]);

  const start = async () => {
    setCamera('starting');
    try {
      // The camera on the back of a phone, where there is one.
      const media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
      stream.current = media;
      const element = video.current;
      if (element) {
        element.srcObject = media;
        await element.play().catch(() => undefined);
      }
      setCamera('on');
    } catch (error) {
      const refused = error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
      setCamera(refused ? 'denied' : 'unavailable');
    }
  };

  const photo = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setPhotoProblem(false);
    const text = await readQrFromFile(file).catch(() => null);
    if (text) onText(text);
    else setPhotoProblem(true);
  };

  const live = camera === 'on' || camera === 'starting';
  return (
    <div className="scanner">
      {camera === 'unavailable' ? <p className="notice">{t('verify.cameraUnavailable')}</p> : null}
      {camera === 'denied' ? (
        <p className="problem" role="alert">
          {t('verify.cameraDenied')}
        </p>
      ) : null}
      {camera !== 'unavailable' ? (
        <div className="actions">
          {live ? (
            <button type="button" onClick={stop}>
              {t('verify.stopScan')}
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => void start()}>
              {t('verify.scan')}
            </button>
          )}
        </div>
      ) : null}
      {/* Kept in the page while off, so the stream has somewhere to go the moment it starts. */}
      <div hidden={!live}>
        <p role="status">{live ? t('verify.scanning') : ''}</p>
        <video ref={video} className="scanner-video" muted playsInline aria-label={t('verify.video')} />
      </div>
      <div className="field">
        <label htmlFor={photoId}>{t('verify.photo')}</label>
        <input id={photoId} type="file" accept="image/*" capture="environment" onChange={(event) => void photo(event)} aria-describedby={photoProblem ? `${photoId}-error` : undefined} />
        {photoProblem ? (
          <p className="field-error" id={`${photoId}-error`} role="alert">
            {t('verify.noCodeInPhoto')}
          </p>
        ) : null}
      </div>
    </div>
  );
}
