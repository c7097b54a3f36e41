// The room page: one screen per phase, plus the live region that reads out what happens.
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../../common/store.js';
import type { Preview } from '../model/Preview.js';
import type { RoomModel } from '../model/RoomModel.js';
import { CallScreen } from './CallScreen.js';
import { SetupScreen } from './SetupScreen.js';
import { BlockedScreen, ErrorScreen, LeftScreen, LoadingScreen } from './StatusScreens.js';

export function App({ model, preview }: { model: RoomModel; preview: Preview }) {
  const s = useStore(model.store);
  const [toast, setToast] = useState<string | null>(null);

  useEffect(() => {
    if (!s.announcement) return;
    setToast(s.announcement.text);
    const t = setTimeout(() => setToast(null), 3500);
    return () => clearTimeout(t);
  }, [s.announcement?.id]);

  useEffect(() => {
    document.title = s.unread > 0 && !s.panelOpen ? `(${s.unread}) ${s.room} · Aerie` : `${s.room} · Aerie`;
  }, [s.unread, s.panelOpen, s.room]);

  let screen;
  switch (s.phase) {
    case 'loading': screen = <LoadingScreen />; break;
    case 'setup': screen = <SetupScreen s={s} model={model} preview={preview} />; break;
    case 'joining': case 'in-call': screen = <CallScreen s={s} model={model} />; break;
    case 'blocked': screen = <BlockedScreen s={s} model={model} />; break;
    case 'left': screen = <LeftScreen s={s} model={model} />; break;
    default: screen = <ErrorScreen s={s} />;
  }
  return (
    <>
      {screen}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="announcer">{s.announcement?.text ?? ''}</div>
      {toast && <div class="toast" aria-hidden="true">{toast}</div>}
    </>
  );
}
