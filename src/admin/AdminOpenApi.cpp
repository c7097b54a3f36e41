#include "admin/AdminOpenApi.hpp"

namespace aerie {
namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "Aerie admin API",
    "version": "1",
    "description": "Apps (realms), alias keys, live rooms and usage of an Aerie server. Every operation but this document needs the admin token as a bearer token; `aerie token --data DIR` prints it. Errors are {error, message}."
  },
  "servers": [{"url": "/admin/v1"}],
  "security": [{"adminToken": []}],
  "paths": {
    "/openapi.json": {
      "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI document"}}}
    },
    "/apps": {
      "get": {
        "summary": "List app keys and alias keys (no secrets)",
        "responses": {
          "200": {"description": "The keys", "content": {"application/json": {"schema": {"type": "object", "properties": {"apps": {"type": "array", "items": {"$ref": "#/components/schemas/App"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      },
      "post": {
        "summary": "Create an app key (a new realm); the reply carries its secret, shown only here",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewApp"}}}},
        "responses": {
          "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppWithSecret"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "413": {"$ref": "#/components/responses/TooLarge"}
        }
      }
    },
    "/apps/{appKey}": {
      "parameters": [{"$ref": "#/components/parameters/AppKey"}],
      "get": {
        "summary": "One key",
        "responses": {
          "200": {"description": "The key", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/App"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "summary": "Change some fields of a key",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppChange"}}}},
        "responses": {
          "200": {"description": "The key after the change", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/App"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "delete": {
        "summary": "Revoke a key: the API server answers 4001 for it from now on (4006 for the aliases of a revoked primary key)",
        "responses": {
          "200": {"description": "The revoked key", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/App"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/apps/{appKey}/rotate-secret": {
      "parameters": [{"$ref": "#/components/parameters/AppKey"}],
      "post": {
        "summary": "Replace the key's secret; credentials signed with the old one stop verifying",
        "responses": {
          "200": {"description": "The new secret, shown only here", "content": {"application/json": {"schema": {"type": "object", "properties": {"appKey": {"type": "string"}, "secret": {"type": "string"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/apps/{appKey}/aliases": {
      "parameters": [{"$ref": "#/components/parameters/AppKey"}],
      "get": {
        "summary": "The alias keys of a primary key",
        "responses": {
          "200": {"description": "The aliases", "content": {"application/json": {"schema": {"type": "object", "properties": {"aliases": {"type": "array", "items": {"$ref": "#/components/schemas/App"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "post": {
        "summary": "Create an alias key: its own domains and expiry, the parent's realm and rooms",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewAlias"}}}},
        "responses": {
          "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppWithSecret"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"description": "The key is an alias key itself, or revoked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/apps/{appKey}/rooms": {
      "parameters": [{"$ref": "#/components/parameters/AppKey"}],
      "get": {
        "summary": "Live rooms of the key's realm and their peers (in cluster mode: of every live node)",
        "parameters": [{"name": "local", "in": "query", "required": false, "description": "1: this node's rooms only (cluster mode)", "schema": {"type": "string", "enum": ["1"]}}],
        "responses": {
          "200": {"description": "Rooms", "content": {"application/json": {"schema": {"type": "object", "properties": {"realm": {"type": "string"}, "peerCount": {"type": "integer"}, "rooms": {"type": "array", "items": {"$ref": "#/components/schemas/Room"}}, "nodes": {"type": "array", "description": "cluster mode: each node asked, whether it answered, and why not", "items": {"type": "object", "properties": {"node": {"type": "string"}, "ok": {"type": "boolean"}, "error": {"type": "string"}}}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/apps/{appKey}/rooms/{room}/lock": {
      "parameters": [
        {"$ref": "#/components/parameters/AppKey"},
        {"name": "room", "in": "path", "required": true, "description": "Room name as the pages use it, percent-encoded", "schema": {"type": "string"}}
      ],
      "post": {
        "summary": "Lock or unlock a live room from the server side (peers get roomLockEvent)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["locked"], "additionalProperties": false, "properties": {"locked": {"type": "boolean"}}}}}},
        "responses": {
          "200": {"description": "Done", "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}, "roomKey": {"type": "string"}, "locked": {"type": "boolean"}, "node": {"type": "string", "description": "cluster mode: the id of the node that holds the room and locked it"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/apps/{appKey}/peers/{sid}": {
      "parameters": [
        {"$ref": "#/components/parameters/AppKey"},
        {"name": "sid", "in": "path", "required": true, "description": "The peer's id (inRoom sid)", "schema": {"type": "string"}}
      ],
      "delete": {
        "summary": "Remove a peer: it gets redirect reject, the room gets bye",
        "responses": {
          "200": {"description": "Removed", "content": {"application/json": {"schema": {"type": "object", "properties": {"removed": {"type": "string"}, "node": {"type": "string", "description": "cluster mode: the id of the node that held the peer and removed it"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/apps/{appKey}/usage": {
      "parameters": [
        {"$ref": "#/components/parameters/AppKey"},
        {"name": "from", "in": "query", "description": "ISO 8601; default: 30 days before `to`", "schema": {"type": "string", "format": "date-time"}},
        {"name": "to", "in": "query", "description": "ISO 8601; default: now", "schema": {"type": "string", "format": "date-time"}}
      ],
      "get": {
        "summary": "Sessions and peer-minutes in a window: a primary key's whole realm, an alias key's own sessions",
        "responses": {
          "200": {"description": "Usage", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Usage"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/recordings": {
      "get": {
        "summary": "Recordings of SFU rooms (startRecordingRoom), oldest first: room, app key, start, end (null: under way or cut short), files",
        "responses": {
          "200": {"description": "The recordings", "content": {"application/json": {"schema": {"type": "object", "properties": {"recordings": {"type": "array", "items": {"$ref": "#/components/schemas/Recording"}}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/recordings/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "get": {
        "summary": "One recording",
        "responses": {
          "200": {"description": "The recording", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recording"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "delete": {
        "summary": "Delete a recording and its files (not one under way: 409)",
        "responses": {
          "200": {"description": "Deleted", "content": {"application/json": {"schema": {"type": "object", "properties": {"deleted": {"type": "string"}}}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"description": "The recording is under way", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/recordings/{id}/{file}": {
      "parameters": [
        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "file", "in": "path", "required": true, "description": "`<publisher>.webm`", "schema": {"type": "string"}}
      ],
      "get": {
        "summary": "One publisher's file: WebM with its Opus and VP8 tracks as sent (no transcoding). Range requests: one range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) is answered with 206; several ranges, or a Range with If-Range, with the whole file",
        "parameters": [
          {"name": "Range", "in": "header", "required": false, "description": "`bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-SUFFIX_LENGTH`", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "The whole file (`Accept-Ranges: bytes`)", "content": {"video/webm": {"schema": {"type": "string", "format": "binary"}}}},
          "206": {"description": "The range asked for (`Content-Range: bytes FIRST-LAST/SIZE`)", "content": {"video/webm": {"schema": {"type": "string", "format": "binary"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "416": {"description": "The range starts beyond the file (`Content-Range: bytes */SIZE`)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "adminToken": {"type": "http", "scheme": "bearer", "description": "The admin token printed on first start and by `aerie token`"}
    },
    "parameters": {
      "AppKey": {"name": "appKey", "in": "path", "required": true, "schema": {"type": "string"}}
    },
    "responses": {
      "Unauthorized": {"description": "No or wrong admin token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "BadRequest": {"description": "Malformed or invalid input", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "No such key, room or peer", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooLarge": {"description": "Body over the server's limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Recording": {
        "type": "object",
        "required": ["id", "room", "appKey", "startedAt", "endedAt", "active", "files"],
        "properties": {
          "id": {"type": "string"},
          "room": {"type": "string", "description": "The room's name"},
          "appKey": {"type": "string", "description": "The primary key of the room's realm"},
          "startedAt": {"type": "string", "format": "date-time"},
          "endedAt": {"type": "string", "format": "date-time", "nullable": true},
          "active": {"type": "boolean", "description": "Under way in this process"},
          "files": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "bytes": {"type": "integer"}, "url": {"type": "string"}}}}
        }
      },
      "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
          "error": {"type": "string", "enum": ["unauthorized", "bad_request", "not_found", "method_not_allowed", "conflict", "payload_too_large", "internal_error"]},
          "message": {"type": "string"}
        }
      },
      "App": {
        "type": "object",
        "properties": {
          "appKey": {"type": "string"},
          "name": {"type": "string"},
          "owner": {"type": "string"},
          "domains": {"type": "array", "items": {"type": "string"}, "description": "CORS domains: exact host, *.example.com, localhost"},
          "parentKey": {"type": "string", "nullable": true, "description": "Set for alias keys"},
          "revoked": {"type": "boolean"},
          "createdAt": {"type": "string", "format": "date-time"},
          "expiresAt": {"type": "string", "format": "date-time", "nullable": true},
          "maxPeersPerRoom": {"type": "integer", "description": "0: the server default"},
          "turnEnabled": {"type": "boolean"},
          "persistentRooms": {"type": "boolean"},
          "mediaMode": {"$ref": "#/components/schemas/MediaMode"},
          "autoSfuPeers": {"$ref": "#/components/schemas/AutoSfuPeers"}
        }
      },
      "AutoSfuPeers": {
        "type": "integer",
        "minimum": 0,
        "maximum": 100,
        "description": "mediaMode auto: a room goes through the SFU when a join makes it larger than this, and back to a mesh when it shrinks below it. 0: the server default (the limit auto-sfu-peers, 4). A room keeps the value it started with. An alias key has its parent's."
      },
      "MediaMode": {
        "type": "string",
        "enum": ["mesh", "sfu", "auto"],
        "description": "How the realm's rooms carry media. mesh: browser to browser, the server relays signaling only. sfu: through the server's media plane (the room API says hasMCU: true). auto: a mesh that goes through the media plane past autoSfuPeers peers when every client can follow (aerie's library), and back below it. An alias key has its parent's mode."
      },
      "AppWithSecret": {
        "allOf": [{"$ref": "#/components/schemas/App"}, {"type": "object", "properties": {"secret": {"type": "string", "description": "Signs room credentials (cred); shown only once"}}}]
      },
      "NewApp": {
        "type": "object",
        "required": ["name", "domains"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 128},
          "owner": {"type": "string", "minLength": 1, "maxLength": 128, "description": "apiOwner in API replies; default: name"},
          "domains": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string"}},
          "maxPeersPerRoom": {"type": "integer", "minimum": 0, "maximum": 10000},
          "turnEnabled": {"type": "boolean", "default": true},
          "persistentRooms": {"type": "boolean", "default": false},
          "mediaMode": {"allOf": [{"$ref": "#/components/schemas/MediaMode"}], "default": "mesh"},
          "autoSfuPeers": {"allOf": [{"$ref": "#/components/schemas/AutoSfuPeers"}], "default": 0},
          "expiresAt": {"type": "string", "format": "date-time", "nullable": true}
        }
      },
      "NewAlias": {
        "type": "object",
        "required": ["domains"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 128},
          "domains": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string"}},
          "expiresAt": {"type": "string", "format": "date-time", "nullable": true, "description": "A temporary alias key"}
        }
      },
      "AppChange": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 128},
          "domains": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string"}},
          "maxPeersPerRoom": {"type": "integer", "minimum": 0, "maximum": 10000},
          "turnEnabled": {"type": "boolean"},
          "persistentRooms": {"type": "boolean"},
          "mediaMode": {"$ref": "#/components/schemas/MediaMode"},
          "autoSfuPeers": {"$ref": "#/components/schemas/AutoSfuPeers"},
          "expiresAt": {"type": "string", "format": "date-time", "nullable": true, "description": "null: never expires"}
        }
      },
      "Room": {
        "type": "object",
        "properties": {
          "name": {"type": "string"},
          "roomKey": {"type": "string"},
          "locked": {"type": "boolean"},
          "peerCount": {"type": "integer"},
          "peers": {"type": "array", "items": {"type": "string"}, "description": "sids in join order"},
          "node": {"type": "string", "description": "cluster mode: the id of the node that holds the room"}
        }
      },
      "Totals": {
        "type": "object",
        "properties": {"sessions": {"type": "integer"}, "peerMinutes": {"type": "number", "description": "two decimals"}, "peerSeconds": {"type": "integer"}}
      },
      "Usage": {
        "type": "object",
        "properties": {
          "appKey": {"type": "string"},
          "from": {"type": "string", "format": "date-time"},
          "to": {"type": "string", "format": "date-time"},
          "sessions": {"type": "integer"},
          "peerMinutes": {"type": "number"},
          "peerSeconds": {"type": "integer"},
          "rooms": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Totals"}, {"type": "object", "properties": {"room": {"type": "string"}}}]}},
          "keys": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Totals"}, {"type": "object", "properties": {"appKey": {"type": "string"}}}]}}
        }
      }
    }
  }
})json";

}  // namespace

std::string_view AdminOpenApi::document() {
  return kDocument;
}

}  // namespace aerie
