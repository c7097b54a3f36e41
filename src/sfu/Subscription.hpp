#pragma once
// A subscriber of a track; of a simulcast track, with the layer it is sent (LayerSwitch).
#include <optional>

#include "sfu/LayerSwitch.hpp"

namespace aerie {

struct MediaClient;

struct Subscription {
  MediaClient* client;
  std::optional<LayerSwitch> layers;
};

}  // namespace aerie
