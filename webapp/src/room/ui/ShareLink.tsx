// The room's link with a copy button (Clipboard API where the page may use it, else a selected
// text field and execCommand('copy'), which plain-http pages on a LAN address still allow).
import { useRef, useState } from 'preact/hooks';
import { CopyIcon } from '../../common/icons.js';

export function ShareLink({ url, compact = false }: { url: string; compact?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'idle' | 'ok' | 'fail'>('idle');

  const copy = async () => {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(url); ok = true; }
    } catch { ok = false; }
    if (!ok && input.current) {
      input.current.focus();
      input.current.select();
      try { ok = document.execCommand('copy'); } catch { ok = false; }
    }
    setCopied(ok ? 'ok' : 'fail');
    setTimeout(() => setCopied('idle'), 2500);
  };

  return (
    <div class={`share${compact ? ' compact' : ''}`}>
      <label class={compact ? 'visually-hidden' : 'share-label'} for="share-url">Invite people with this link</label>
      <div class="share-row">
        <input id="share-url" ref={input} class="share-url" type="text" readOnly value={url} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <button type="button" id="btn-copy" class="btn secondary" onClick={copy} aria-describedby="copy-status">
          <CopyIcon /><span>{copied === 'ok' ? 'Copied' : 'Copy link'}</span>
        </button>
      </div>
      <span id="copy-status" class="visually-hidden" role="status">{copied === 'ok' ? 'Link copied' : copied === 'fail' ? 'Could not copy: select the link and copy it' : ''}</span>
    </div>
  );
}
