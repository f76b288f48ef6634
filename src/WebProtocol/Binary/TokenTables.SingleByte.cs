namespace Gateway.WebProtocol.Binary;

// Protocol data (dictionary version 3), identical to Baileys lib/WABinary/constants.js and whatsmeow binary/token.
// TokenTableTests compares every entry with the pinned Baileys package.
internal static partial class TokenTables
{
    /// <summary>Single-byte tokens; index 0 is the empty string (that byte is LIST_EMPTY on the wire).</summary>
    public static readonly string[] SingleByte =
    [
        "", "xmlstreamstart", "xmlstreamend", "s.whatsapp.net", "type", "participant", "from", "receipt", "id",
        "notification", "disappearing_mode", "status", "jid", "broadcast", "user", "devices", "device_hash", "to",
        "offline", "message", "result", "class", "xmlns", "duration", "notify", "iq", "t", "ack", "g.us", "enc",
        "urn:xmpp:whatsapp:push", "presence", "config_value", "picture", "verified_name", "config_code",
        "key-index-list", "contact", "mediatype", "routing_info", "edge_routing", "get", "read", "urn:xmpp:ping",
        "fallback_hostname", "0", "chatstate", "business_hours_config", "unavailable", "download_buckets", "skmsg",
        "verified_level", "composing", "handshake", "device-list", "media", "text", "fallback_ip4", "media_conn",
        "device", "creation", "location", "config", "item", "fallback_ip6", "count", "w:profile:picture", "image",
        "business", "2", "hostname", "call-creator", "display_name", "relaylatency", "platform", "abprops", "success",
        "msg", "offline_preview", "prop", "key-index", "v", "day_of_week", "pkmsg", "version", "1", "ping", "w:p",
        "download", "video", "set", "specific_hours", "props", "primary", "unknown", "hash", "commerce_experience",
        "last", "subscribe", "max_buckets", "call", "profile", "member_since_text", "close_time", "call-id",
        "sticker", "mode", "participants", "value", "query", "profile_options", "open_time", "code", "list", "host",
        "ts", "contacts", "upload", "lid", "preview", "update", "usync", "w:stats", "delivery", "auth_ttl", "context",
        "fail", "cart_enabled", "appdata", "category", "atn", "direct_connection", "decrypt-fail", "relay_id",
        "mmg-fallback.whatsapp.net", "target", "available", "name", "last_id", "mmg.whatsapp.net", "categories",
        "401", "is_new", "index", "tctoken", "ip4", "token_id", "latency", "recipient", "edit", "ip6", "add",
        "thumbnail-document", "26", "paused", "true", "identity", "stream:error", "key", "sidelist", "background",
        "audio", "3", "thumbnail-image", "biz-cover-photo", "cat", "gcm", "thumbnail-video", "error", "auth", "deny",
        "serial", "in", "registration", "thumbnail-link", "remove", "00", "gif", "thumbnail-gif", "tag", "capability",
        "multicast", "item-not-found", "description", "business_hours", "config_expo_key", "md-app-state",
        "expiration", "fallback", "ttl", "300", "md-msg-hist", "device_orientation", "out", "w:m", "open_24h",
        "side_list", "token", "inactive", "01", "document", "te2", "played", "encrypt", "msgr", "hide", "direct_path",
        "12", "state", "not-authorized", "url", "terminate", "signature", "status-revoke-delay", "02", "te",
        "linked_accounts", "trusted_contact", "timezone", "ptt", "kyc-id", "privacy_token", "readreceipts",
        "appointment_only", "address", "expected_ts", "privacy", "7", "android", "interactive", "device-identity",
        "enabled", "attribute_padding", "1080", "03", "screen_height",
    ];
}
