import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/problems.tsx';
import './messages.ts';

/**
 * A PDF shown in a frame, from a blob: URL (the API's answers may not be framed; the page's policy
 * allows blob: frames). A link opens the same PDF in a tab, for a browser with no PDF viewer. The
 * URL lives exactly as long as the frame shows it.
 */
export function PdfFrame({ queryKey, load, title }: { queryKey: readonly unknown[]; load(signal: AbortSignal): Promise<Blob>; title: string }) {
  const { t } = useTranslation('certificates');
  const query = useQuery({ queryKey, queryFn: ({ signal }) => load(signal), staleTime: 60_000, gcTime: 60_000, refetchOnWindowFocus: false });
  const frame = useRef<HTMLIFrameElement>(null);
  const link = useRef<HTMLAnchorElement>(null);
  const blob = query.data;

  useEffect(() => {
    if (!blob || !frame.current || !link.current) return;
    const url = URL.createObjectURL(blob);
    // The whole page in view, without the thumbnails: a preview is read, not navigated.
    frame.current.src = `${url}#view=Fit&navpanes=0`;
    link.current.href = url;
    return () => URL.revokeObjectURL(url);
  }, [blob]);

  if (query.error) return <ProblemAlert error={query.error} />;
  if (!blob) return <p className="loading">{t('preview.loading')}</p>;
  return (
    <>
      <iframe ref={frame} className="pdf-frame" title={title} />
      <p>
        <a ref={link} href="#preview" target="_blank" rel="noopener">
          {t('preview.open')}
        </a>
      </p>
    </>
  );
}
