// One participant's tile: the video (or initials when the camera is off), their name, and
// their microphone state. A remote tile's video element also plays the participant's sound.
import { useEffect, useRef } from 'preact/hooks';
import { initials } from '../../common/format.js';
import { MicOffIcon, CameraOffIcon, ScreenIcon } from '../../common/icons.js';
import type { Participant } from '../model/types.js';

export function Tile({ p, speaking, width, height }: { p: Participant; speaking: boolean; width: number; height: number }) {
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    if (v.srcObject !== p.stream) v.srcObject = p.stream;
    // Autoplay can be refused until the page had a user gesture; the Join click is one.
    if (p.stream) v.play().catch(() => undefined);
  }, [p.stream]);

  const hasVideo = !!p.stream && p.stream.getVideoTracks().length > 0 && !p.videoMuted;
  const label = `${p.isSelf ? 'You' : p.name}${p.audioMuted ? ', microphone off' : ''}${p.videoMuted ? ', camera off' : ''}${speaking ? ', speaking' : ''}`;
  return (
    <figure
      class={`tile${speaking ? ' speaking' : ''}${p.screenshare ? ' screen' : ''}`}
      style={{ width: `${width}px`, height: `${height}px` }}
      data-peer={p.key}
      data-self={p.isSelf ? 'true' : 'false'}
      data-audio-muted={p.audioMuted ? 'true' : 'false'}
      data-video-muted={p.videoMuted ? 'true' : 'false'}
      data-speaking={speaking ? 'true' : 'false'}
      aria-label={label}
    >
      <video
        ref={video}
        class={`tile-video${p.isSelf && !p.screenshare ? ' mirror' : ''}${hasVideo ? '' : ' hidden'}`}
        autoplay
        playsInline
        muted={p.isSelf}
        data-peer={p.key}
      />
      {!hasVideo && (
        <div class="avatar" aria-hidden="true">
          <span>{initials(p.name)}</span>
        </div>
      )}
      <figcaption class="tile-label">
        {p.screenshare && <span class="badge" title="Sharing their screen"><ScreenIcon /></span>}
        <span class="tile-name">{p.isSelf ? `${p.name} (you)` : p.name}</span>
        {p.videoMuted && <span class="badge muted" title="Camera off" data-state="video-muted"><CameraOffIcon /></span>}
        {p.audioMuted && <span class="badge muted" title="Microphone off" data-state="audio-muted"><MicOffIcon /></span>}
      </figcaption>
    </figure>
  );
}
