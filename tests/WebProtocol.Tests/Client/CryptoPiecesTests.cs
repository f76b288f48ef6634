using System.Text.Json;
using Gateway.WebProtocol.Client.Pairing;
using Gateway.WebProtocol.Client.Send;
using Gateway.Interop;
using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Tests.Signal;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>Media crypto, pairing-code crypto, padding and ids: checked against Baileys and against themselves.</summary>
public sealed class CryptoPiecesTests
{
    [Theory]
    [InlineData(MediaKind.Image, "image", 0)]
    [InlineData(MediaKind.Document, "document", 15)]
    [InlineData(MediaKind.Audio, "audio", 16)]
    [InlineData(MediaKind.Video, "video", 1000)]
    public async Task Our_media_encryption_and_pairing_key_match_baileys(MediaKind kind, string baileysType, int length)
    {
        var random = new SeededRandom(length);
        var plaintext = new byte[length];
        random.GetBytes(plaintext);
        var encrypted = MediaCrypto.Encrypt(plaintext, kind, random);
        var salt = new byte[32];
        random.GetBytes(salt);
        var stdin = JsonSerializer.Serialize(new
        {
            mediaKey = Convert.ToHexStringLower(encrypted.MediaKey),
            mediaType = baileysType,
            body = Convert.ToHexStringLower(encrypted.Body),
            code = "ABCD1234",
            salt = Convert.ToHexStringLower(salt),
        });
        using var result = JsonDocument.Parse(await NodeHarness.RunAsync("client/media-pairing.mjs", stdin));
        Assert.True(result.RootElement.GetProperty("macOk").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(plaintext), result.RootElement.GetProperty("plaintext").GetString());
        Assert.Equal(Convert.ToHexStringLower(PairingCodeCrypto.DeriveKey("ABCD1234", salt)), result.RootElement.GetProperty("pairingKey").GetString());
    }

    [Fact]
    public void Media_that_was_tampered_with_or_decrypted_as_another_kind_is_refused()
    {
        var random = new SeededRandom(3);
        var plaintext = "a voice note"u8.ToArray();
        var encrypted = MediaCrypto.Encrypt(plaintext, MediaKind.Audio, random);
        Assert.Equal(plaintext, MediaCrypto.Decrypt(encrypted.Body, MediaKind.Audio, encrypted.MediaKey, encrypted.FileEncSha256, encrypted.FileSha256));
        var tampered = (byte[])encrypted.Body.Clone();
        tampered[3] ^= 1;
        Assert.Throws<MediaException>(() => MediaCrypto.Decrypt(tampered, MediaKind.Audio, encrypted.MediaKey));
        Assert.Throws<MediaException>(() => MediaCrypto.Decrypt(encrypted.Body, MediaKind.Image, encrypted.MediaKey));
        Assert.Throws<MediaException>(() => MediaCrypto.Decrypt(encrypted.Body.AsSpan(0, 9), MediaKind.Audio, encrypted.MediaKey));
        Assert.Throws<MediaException>(() => MediaCrypto.Decrypt(encrypted.Body, MediaKind.Audio, encrypted.MediaKey, expectedFileEncSha256: new byte[32]));
    }

    [Fact]
    public void Phone_and_companion_derive_the_same_adv_secret_from_a_pairing_code()
    {
        var random = new SeededRandom(4);
        var code = PairingCodeCrypto.NewCode(random);
        Assert.Matches("^[1-9A-HJ-NP-TV-Z]{8}$", code);
        var companionEphemeral = Curve25519.GenerateKeyPair(random);
        var companionIdentity = Curve25519.GenerateKeyPair(random);
        var primaryEphemeral = Curve25519.GenerateKeyPair(random);
        var primaryIdentity = Curve25519.GenerateKeyPair(random);

        // The phone unwraps our ephemeral key with the code it was shown.
        var wrapped = PairingCodeCrypto.WrapEphemeral(code, companionEphemeral.PublicKey, random);
        Assert.Equal(companionEphemeral.PublicKey, PairingCodeCrypto.UnwrapEphemeral(code, wrapped));

        var (bundle, advSecret) = PairingCodeCrypto.Finish(companionEphemeral, primaryEphemeral.PublicKey, companionIdentity, primaryIdentity.PublicKey, random);

        // The phone opens the bundle and derives the ADV secret from its side of both agreements.
        var shared = Curve25519.CalculateAgreement(companionEphemeral.PublicKey, primaryEphemeral.PrivateKey);
        var key = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, shared, 32, bundle[..32], "link_code_pairing_key_bundle_encryption_key"u8.ToArray());
        var opened = new byte[96];
        using (var gcm = new System.Security.Cryptography.AesGcm(key, 16))
        {
            gcm.Decrypt(bundle[32..44], bundle[44..^16], bundle[^16..], opened);
        }

        Assert.Equal(companionIdentity.PublicKey, opened[..32]);
        var identityShared = Curve25519.CalculateAgreement(companionIdentity.PublicKey, primaryIdentity.PrivateKey);
        var expected = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, [.. shared, .. identityShared, .. opened[64..]], 32, [], "adv_secret"u8.ToArray());
        Assert.Equal(expected, advSecret);
    }

    [Theory]
    [InlineData("0a0b01", "0a0b")]
    [InlineData("0a030303", "0a")]
    [InlineData("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", "")]
    public void Unpad_strips_k_bytes_of_value_k(string padded, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(MessagePadding.Unpad(Convert.FromHexString(padded)).Span));

    [Theory]
    [InlineData("")]
    [InlineData("0a00")]
    [InlineData("0a05")]
    public void Unpad_refuses_impossible_padding(string padded) =>
        Assert.Throws<WireFormatException>(() => MessagePadding.Unpad(Convert.FromHexString(padded)));

    [Fact]
    public void Padding_round_trips_and_ids_look_like_whatsapp_webs()
    {
        var random = new SeededRandom(5);
        for (var i = 0; i < 200; i++)
        {
            var data = new byte[i % 40];
            random.GetBytes(data);
            var padded = MessagePadding.Pad(data, random);
            Assert.InRange(padded.Length - data.Length, 1, 15);
            Assert.Equal(data, MessagePadding.Unpad(padded).ToArray());
        }

        Assert.Matches("^3EB0[0-9A-F]{18}$", MessageIds.New("15550001111", DateTimeOffset.UnixEpoch, random));
    }
}
