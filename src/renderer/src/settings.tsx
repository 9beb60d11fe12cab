import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppInfo } from '../../shared/ipc-contract';
import { getApi } from './api';

function Settings() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void getApi()
      .app.getInfo({})
      .then((r) => (r.ok ? setInfo(r.value) : setError(r.error.message)));
  }, []);
  return (
    <main>
      <h1>{info?.productName ?? 'Exist Tray'}</h1>
      {info && <p data-testid="app-info">{`${info.productName} ${info.version} on ${info.platform}`}</p>}
      {error && <p role="alert">{error}</p>}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Settings />
  </StrictMode>,
);
