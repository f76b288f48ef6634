using System.Text;
using Gateway.Events;
using Gateway.Providers.Cloud;

namespace Gateway.Tests.Cloud;

/// <summary>Payloads shaped as in Meta's webhook reference for the messages field.</summary>
public sealed class CloudWebhookPayloadTests
{
    private const string TextMessage = """
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
          "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
          "messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]},
          "field":"messages"}]}]}
        """;

    private const string ImageMessage = """
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
          "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
          "messages":[{"from":"16505551234","id":"wamid.IMG","timestamp":"1744344496","type":"image",
            "image":{"caption":"This is how it looks","mime_type":"image/jpeg","sha256":"SfInY3NcsgLhQmiAqS4lPhkOCN3FYEMXNfLYxzgBJn0=","id":"1003383421387256"}}]},
          "field":"messages"}]}]}
        """;

    private const string Statuses = """
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
          "statuses":[
            {"id":"wamid.A","status":"delivered","timestamp":"1750263773","recipient_id":"16505551234"},
            {"id":"wamid.A","status":"read","timestamp":"1750263780","recipient_id":"16505551234"},
            {"id":"wamid.B","status":"failed","timestamp":"1750263790","recipient_id":"16505551234",
             "errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message"}]}]},
          "field":"messages"}]}]}
        """;

    [Fact]
    public void Inbound_text_becomes_a_message_with_jid_name_and_time()
    {
        var notification = Assert.Single(CloudWebhookPayload.Parse(Encoding.UTF8.GetBytes(TextMessage)));

        Assert.Equal("106540352242922", notification.PhoneNumberId);
        var message = notification.Message!;
        Assert.Equal("16505551234@s.whatsapp.net", message.From);
        Assert.Equal("Sheena Nelson", message.PushName);
        Assert.Equal("text", message.Type);
        Assert.Equal("Does it come in another color?", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1749416383), message.Timestamp);
    }

    [Fact]
    public void Inbound_image_carries_caption_and_media_reference()
    {
        var message = Assert.Single(CloudWebhookPayload.Parse(Encoding.UTF8.GetBytes(ImageMessage))).Message!;

        Assert.Equal("image", message.Type);
        Assert.Equal("This is how it looks", message.Caption);
        Assert.Equal("image/jpeg", message.Media?.MimeType);
        Assert.Equal("1003383421387256", message.Media?.MediaId);
    }

    [Fact]
    public void Statuses_become_delivery_updates_with_errors()
    {
        var updates = CloudWebhookPayload.Parse(Encoding.UTF8.GetBytes(Statuses)).Select(n => n.Status!).ToArray();

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Read, DeliveryStatus.Failed], updates.Select(u => u.Status));
        Assert.Equal("131047: Re-engagement message", updates[2].Error);
        Assert.Equal("wamid.B", updates[2].ProviderMessageId);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"entry\": [")]
    public void Malformed_json_is_a_format_error(string body) =>
        Assert.Throws<FormatException>(() => CloudWebhookPayload.Parse(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"id\":1}]}}]}]}")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[{\"id\":\"x\",\"from\":\"1\"}],\"statuses\":[{\"id\":\"y\",\"status\":\"weird\"}]}}]}]}")]
    public void Odd_but_valid_json_yields_nothing_rather_than_an_error(string body) =>
        Assert.Empty(CloudWebhookPayload.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Signature_checks_the_raw_body_with_the_app_secret()
    {
        var body = Encoding.UTF8.GetBytes(TextMessage);
        var header = CloudSignature.Compute("app-secret", body);

        Assert.True(CloudSignature.IsValid(header, "app-secret", body));
        Assert.True(CloudSignature.IsValid(header.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), "app-secret", body));
        Assert.False(CloudSignature.IsValid(header, "other-secret", body));
        Assert.False(CloudSignature.IsValid(header, "app-secret", [.. body, (byte)' ']));
        Assert.False(CloudSignature.IsValid(null, "app-secret", body));
        Assert.False(CloudSignature.IsValid("sha1=abc", "app-secret", body));
    }
}
