import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { initI18n, isLanguage, languages, setLanguage } from '../../../i18n/index.ts';
import '../../../styles.css';

/**
 * The pickers alone on a page, served by the real server with its API and its Content-Security-
 * Policy: the browser test (test/web/places.test.ts) and the benchmark (bench/web-picker.ts) use it
 * before any screen of the app holds a picker. Not part of the app's build.
 */
await initI18n();
// After i18n is ready: the pickers add their messages when their module loads.
const { FacilityPicker, PlacePicker } = await import('../PlacePicker.tsx');

function Pickers() {
  const { t, i18n } = useTranslation('places');
  // A code to start from (?place=751600000: a KATO code is reference data, not personal data).
  const [place, setPlace] = useState(() => new URLSearchParams(location.search).get('place') ?? undefined);
  const [region, setRegion] = useState<string | undefined>();
  const [facility, setFacility] = useState<string | undefined>();
  return (
    <main>
      <h1>{t('harness.title')}</h1>
      <label className="choice">
        {t('shell:language.label')}
        <select value={i18n.language} onChange={(event) => isLanguage(event.target.value) && void setLanguage(event.target.value)}>
          {languages.map((language) => (
            <option key={language} value={language} lang={language}>
              {t(`shell:language.${language}`)}
            </option>
          ))}
        </select>
      </label>
      <form onSubmit={(event) => event.preventDefault()}>
        <PlacePicker label={t('harness.place')} value={place} onChange={setPlace} required />
        <PlacePicker label={t('harness.region')} value={region} onChange={setRegion} level="region" />
        <FacilityPicker label={t('harness.facility')} value={facility} onChange={setFacility} within={region} />
      </form>
      <dl className="facts">
        <dt>{t('harness.place')}</dt>
        <dd data-testid="chosen-place">{place ?? t('harness.nothing')}</dd>
        <dt>{t('harness.region')}</dt>
        <dd data-testid="chosen-region">{region ?? t('harness.nothing')}</dd>
        <dt>{t('harness.facility')}</dt>
        <dd data-testid="chosen-facility">{facility ?? t('harness.nothing')}</dd>
      </dl>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={new QueryClient()}>
      <Pickers />
    </QueryClientProvider>
  </StrictMode>,
);
