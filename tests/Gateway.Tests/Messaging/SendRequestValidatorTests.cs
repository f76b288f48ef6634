using Gateway.Messaging;

namespace Gateway.Tests.Messaging;

public sealed class SendRequestValidatorTests
{
    [Fact]
    public void Text_to_a_phone_number_is_accepted_and_normalised()
    {
        var (message, errors) = SendRequestValidator.Validate(Request(to: "+1 (555) 123-4567", message: "hello"), "m1");

        Assert.Empty(errors);
        Assert.Equal(MessageKind.Text, message!.Kind);
        Assert.Equal("15551234567@s.whatsapp.net", message.To.Jid);
        Assert.Equal("hello", message.Text);
        Assert.Null(message.Caption);
    }

    [Fact]
    public void Image_from_base64_with_a_data_url_prefix_keeps_its_bytes_and_caption()
    {
        var (message, errors) = SendRequestValidator.Validate(
            Request(type: "image", mediaBase64: "data:image/png;base64," + Convert.ToBase64String([1, 2, 3, 4]), mimeType: "image/png", caption: "look"), "m1");

        Assert.Empty(errors);
        Assert.Equal([1, 2, 3, 4], message!.Media!.Content);
        Assert.Equal("image/png", message.Media.MimeType);
        Assert.Equal("look", message.Caption);
    }

    [Fact]
    public void Document_by_url_gets_a_type_from_its_file_name()
    {
        var (message, errors) = SendRequestValidator.Validate(Request(type: "document", mediaUrl: "https://files.example/a.pdf", fileName: "invoice.pdf"), "m1");

        Assert.Empty(errors);
        Assert.Equal("application/pdf", message!.Media!.MimeType);
        Assert.Equal(new Uri("https://files.example/a.pdf"), message.Media.Url);
    }

    [Theory]
    [InlineData(null, "text", "hi", null, null, null, "to")]
    [InlineData("12", "text", "hi", null, null, null, "to")]
    [InlineData("15551234567", "sticker", "hi", null, null, null, "type")]
    [InlineData("15551234567", "text", "", null, null, null, "message")]
    [InlineData("15551234567", "image", null, null, null, null, "media")]
    [InlineData("15551234567", "image", null, "https://x.example/a.jpg", "AAAA", null, "media")]
    [InlineData("15551234567", "image", null, "file:///etc/passwd", null, null, "mediaUrl")]
    [InlineData("15551234567", "image", null, "javascript:alert(1)", null, null, "mediaUrl")]
    [InlineData("15551234567", "image", null, null, "!!!", null, "mediaBase64")]
    [InlineData("15551234567", "image", null, null, "AAAA", "application/x-msdownload", "mimeType")]
    [InlineData("15551234567", "audio", null, null, "AAAA", "image/png", "mimeType")]
    [InlineData("15551234567", "template", null, null, null, null, "template")]
    public void Bad_requests_name_the_field(string? to, string type, string? text, string? url, string? base64, string? mime, string field)
    {
        var (message, errors) = SendRequestValidator.Validate(Request(to: to, type: type, message: text, mediaUrl: url, mediaBase64: base64, mimeType: mime), "m1");

        Assert.Null(message);
        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void Oversized_text_caption_media_and_file_names_are_refused()
    {
        Assert.Contains(SendRequestValidator.Validate(Request(message: new string('a', SendRequestValidator.MaxTextLength + 1)), "m").Errors, e => e.Field == "message");
        Assert.Contains(SendRequestValidator.Validate(Request(type: "image", mediaUrl: "https://x.example/a", caption: new string('a', 1025)), "m").Errors, e => e.Field == "caption");
        Assert.Contains(SendRequestValidator.Validate(Request(type: "document", mediaUrl: "https://x.example/a", fileName: "../../etc/passwd"), "m").Errors, e => e.Field == "fileName");
        var huge = new string('A', (SendRequestValidator.MaxMediaBytes / 3 * 4) + 8);
        Assert.Contains(SendRequestValidator.Validate(Request(type: "document", mediaBase64: huge), "m").Errors, e => e.Field == "mediaBase64");
    }

    [Fact]
    public void A_missing_body_is_an_error_not_an_exception() =>
        Assert.Equal("body", Assert.Single(SendRequestValidator.Validate(null, "m").Errors).Field);

    private static SendRequest Request(
        string? to = "15551234567",
        string? type = "text",
        string? message = null,
        string? mediaUrl = null,
        string? mediaBase64 = null,
        string? caption = null,
        string? fileName = null,
        string? mimeType = null) =>
        new(to, type, message, mediaUrl, mediaBase64, caption, fileName, mimeType, null);
}
