using System.Text.Json;

namespace Gateway.Messaging;

/// <summary>
/// The body of POST /api/v1/messages/{tenantId}/send, as callers write it. Every field is optional here;
/// <see cref="SendRequestValidator"/> says what is missing or wrong.
/// </summary>
public sealed record SendRequest(
    string? To,
    string? Type,
    string? Message,
    string? MediaUrl,
    string? MediaBase64,
    string? Caption,
    string? FileName,
    string? MimeType,
    SendTemplate? Template);

/// <summary>A Cloud API template (only cloud tenants can send these).</summary>
public sealed record SendTemplate(string? Name, string? Language, JsonElement? Components);
