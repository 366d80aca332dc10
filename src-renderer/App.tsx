import type { SluiceBridge } from '../src-shared/bridge';

declare global {
  interface Window {
    sluice?: SluiceBridge;
  }
}

/** Placeholder shell; the real screens arrive with the desktop UI work. */
export function App(): React.JSX.Element {
  const connected = typeof window !== 'undefined' && window.sluice !== undefined;
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>Sluice</h1>
      <p>
        Drop CSV files here to start. The engine is available from the command line today:{' '}
        <code>npx sluice --help</code>.
      </p>
      <p>
        {connected ? 'Connected to the desktop engine.' : 'Running without the desktop bridge.'}
      </p>
    </main>
  );
}
