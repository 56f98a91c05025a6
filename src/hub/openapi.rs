//! The OpenAPI 3.1 document of the kiosk API, served at `/api/v1/openapi.json`.
//!
//! Written by hand next to the wire types (`crate::domain::sync`), which are the authority: a test
//! checks that every route the router serves is described here.

use serde_json::{Value, json};

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ApiError" } } }
    })
}

fn json_body(schema: &str) -> Value {
    json!({ "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn ok(schema: &str, description: &str) -> Value {
    let mut body = json_body(schema);
    body["description"] = json!(description);
    body
}

fn kiosk_parameter() -> Value {
    json!({ "name": "kiosk", "in": "path", "required": true, "schema": { "type": "integer" },
            "description": "The kiosk's id; the token must belong to it." })
}

fn auth_errors(responses: &mut Value) {
    responses["401"] = error_response("missing_token, invalid_token (unknown or revoked)");
    responses["403"] = error_response("wrong_kiosk: the token belongs to another kiosk");
}

/// The document.
pub fn document() -> Value {
    let mut push_responses = json!({
        "200": ok("PushResponse", "Stored (or already held); the highest contiguous seq held"),
        "400": error_response("malformed_json"),
        "409": error_response("seq_gap (with acked_through) or seq_conflict: nothing was stored"),
        "413": error_response("body_too_large or batch_too_large"),
        "415": error_response("unsupported_media_type: send application/json"),
        "422": error_response("invalid_body (wrong types) or invalid_batch (seqs not consecutive)"),
    });
    auth_errors(&mut push_responses);
    let mut pull_responses = json!({
        "200": ok("PullResponse", "The hub's version, and the configuration if newer than `since`"),
        "400": error_response("bad_query"),
    });
    auth_errors(&mut pull_responses);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Congélo hub — kiosk API",
            "version": "1",
            "license": { "name": "GPL-3.0-or-later", "identifier": "GPL-3.0-or-later" },
            "description": "Kiosks enrol once, push their event log in order (exactly once, \
                idempotent re-sends) and pull their configuration. Every error has the body \
                {\"error\": code, \"message\": text}."
        },
        "servers": [{ "url": "/api/v1" }],
        "components": {
            "securitySchemes": { "kioskToken": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas()
        },
        "paths": {
            "/enrol": { "post": {
                "summary": "Trade a one-time enrolment code (CGE1…) for a kiosk token",
                "requestBody": json_body("EnrolRequest"),
                "responses": {
                    "200": ok("EnrolResponse", "The kiosk's id and token (shown once)"),
                    "400": error_response("malformed_json"),
                    "401": error_response("unknown_enrolment_code"),
                    "409": error_response("enrolment_code_used"),
                    "410": error_response("enrolment_code_expired"),
                    "422": error_response("invalid_body or invalid_code (not an enrolment code)")
                }
            }},
            "/kiosks/{kiosk}/events": { "post": {
                "summary": "Push the oldest unacknowledged events (at most 500) with the kiosk's health",
                "security": [{ "kioskToken": [] }],
                "parameters": [kiosk_parameter()],
                "requestBody": json_body("PushRequest"),
                "responses": push_responses
            }},
            "/kiosks/{kiosk}/config": { "get": {
                "summary": "Pull the configuration if newer than `since`",
                "security": [{ "kioskToken": [] }],
                "parameters": [kiosk_parameter(), { "name": "since", "in": "query",
                    "schema": { "type": "integer", "minimum": 0 } }],
                "responses": pull_responses
            }},
            "/openapi.json": { "get": {
                "summary": "This document",
                "responses": { "200": { "description": "OpenAPI 3.1" } }
            }}
        }
    })
}

fn schemas() -> Value {
    json!({
        "ApiError": { "type": "object", "required": ["error", "message"], "properties": {
            "error": { "type": "string" }, "message": { "type": "string" },
            "acked_through": { "type": "integer", "description": "On seq_gap: what the hub holds" } } },
        "EnrolRequest": { "type": "object", "required": ["code"], "additionalProperties": false,
            "properties": { "code": { "type": "string", "example": "CGE1…" } } },
        "EnrolResponse": { "type": "object", "required": ["kiosk", "token", "hub_time"], "properties": {
            "kiosk": { "type": "integer" }, "token": { "type": "string" },
            "hub_time": { "type": "string", "format": "date-time" } } },
        "KioskHealth": { "type": "object", "additionalProperties": false,
            "required": ["version", "uptime_s", "pending", "clock"], "properties": {
            "version": { "type": "string" }, "uptime_s": { "type": "integer" },
            "pending": { "type": "integer" },
            "disk_free_bytes": { "type": ["integer", "null"] },
            "last_millicelsius": { "type": ["integer", "null"] },
            "clock": { "type": "string", "format": "date-time" } } },
        "Event": { "type": "object", "required": ["id", "kiosk", "seq", "at", "body"],
            "description": "An entry of the kiosk's event log; `body` is {kind, data} with kind \
                sale, sale_void, stock or alarm (see src/domain/event.rs).",
            "properties": { "id": { "type": "string", "format": "uuid" },
                "kiosk": { "type": "integer" }, "seq": { "type": "integer", "minimum": 1 },
                "at": { "type": "string", "format": "date-time" },
                "body": { "type": "object", "required": ["kind", "data"] } } },
        "PushRequest": { "type": "object", "additionalProperties": false,
            "required": ["health", "events"], "properties": {
            "health": { "$ref": "#/components/schemas/KioskHealth" },
            "events": { "type": "array", "maxItems": 500,
                "items": { "$ref": "#/components/schemas/Event" } } } },
        "PushResponse": { "type": "object", "properties": {
            "acked_through": { "type": "integer" }, "stored": { "type": "integer" },
            "duplicates": { "type": "integer" },
            "hub_time": { "type": "string", "format": "date-time" },
            "clock_offset_ms": { "type": "integer" }, "clock_suspect": { "type": "boolean" },
            "quarantined": { "type": "array",
                "description": "New events that broke a rule: stored and acknowledged, counted nowhere",
                "items": { "type": "object", "properties": {
                    "seq": { "type": "integer" }, "reason": { "type": "string" },
                    "message": { "type": "string" } } } } } },
        "PullResponse": { "type": "object", "required": ["version"], "properties": {
            "version": { "type": "integer" },
            "config": { "description": "KioskConfig (src/domain/config.rs), or null when current" },
            "usage": { "type": "object",
                "description": "What each household bought per local day at every kiosk lately, and how far the hub holds this kiosk's log (as_of_seq)",
                "properties": { "as_of_seq": { "type": "integer" }, "households": { "type": "array" } } },
            "retention_months": { "type": "integer",
                "description": "After this many months sales forget their household, on the kiosk too" } } }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_is_described() {
        let document = super::document();
        for path in [
            "/enrol",
            "/kiosks/{kiosk}/events",
            "/kiosks/{kiosk}/config",
            "/openapi.json",
        ] {
            assert!(document["paths"][path].is_object(), "{path} is missing");
        }
    }
}
