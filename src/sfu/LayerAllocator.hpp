#pragma once
// How one subscriber's bandwidth estimate is shared among the tracks it receives. Tracks that
// come in one form only (audio, video without simulcast) are sent whatever it costs and are
// taken off the estimate first; each simulcast track then gets its lowest layer (a picture that
// keeps playing beats none), and what is left goes up one layer at a time, one track after
// another, so that no track climbs two layers while another could have climbed one. A layer
// counts for the bitrate it arrives at from its publisher (measured, BitrateWindow); the layer
// the subscriber gets now for kKeepPercent of it, a margin against flipping. Choices
// that go down apply at once; one that goes up above what the subscriber gets now applies only
// once it has fitted for kUpHoldUs without a break, so that a short rise of the estimate does
// not flip layers (every switch waits for a key frame); a rise that has to be undone within 5 s
// doubles that wait for the track's next one (up to 12 s), so that a subscriber held under a
// limit tries the next layer less and less often. Pure: time from the caller.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace aerie {

class LayerAllocator {
 public:
  static constexpr std::size_t kMaxLayers = 3;
  struct Track {
    std::uint32_t id = 0;  // stable across calls (the track's SSRC)
    int layers = 0;        // 0: not simulcast, sent as it comes at layerBps[0]
    std::array<std::uint64_t, kMaxLayers> layerBps{};
    int highestActive = 0;  // the highest layer its publisher sends now
    int current = -1;       // the layer the subscriber gets now (-1: none yet)
    int chosen = -1;        // out: the layer to aim at
  };

  // Chooses `chosen` for every simulcast track of `tracks` (the others keep -1).
  void allocate(std::span<Track> tracks, std::uint64_t estimateBps, std::int64_t nowUs);

  static constexpr std::int64_t kUpHoldUs = 1500000;
  // A layer gone up to that has to come down again within kFailedRiseUs was a failed try: the
  // next rise of that track waits twice as long, up to kMaxUpHoldUs; one that lasts resets it.
  static constexpr std::int64_t kFailedRiseUs = 5000000;
  static constexpr std::int64_t kMaxUpHoldUs = 12000000;
  // The layer a subscriber gets now, and those below it, count for this share of their rate:
  // it keeps its layer while the estimate covers 80 % of it.
  static constexpr std::int64_t kKeepPercent = 80;

 private:
  struct Hold {
    std::uint32_t id = 0;
    int layer = -1;           // the higher layer that fits
    std::int64_t sinceUs = 0;  // since when it has
    std::int64_t waitUs = kUpHoldUs;  // how long a rise waits now
    int raisedTo = -1;         // the last rise let through, while it may still fail
    std::int64_t raisedAtUs = 0;
    bool seen = false;
  };
  Hold& holdOf(std::uint32_t id);
  std::vector<Hold> holds_;  // one per simulcast track; grows when a track is new, not per call
};

}  // namespace aerie
