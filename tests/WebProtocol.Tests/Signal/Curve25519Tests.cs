using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Gateway.WebProtocol.Signal;

namespace Gateway.WebProtocol.Tests.Signal;

public class Curve25519Tests
{
    private static readonly byte[] VectorPrivateKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(
        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
        "07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c")]
    public void Public_key_from_private_key_matches_curve25519_js(string privateHex, string publicHex)
    {
        var publicKey = Curve25519.PublicKeyFromPrivateKey(Convert.FromHexString(privateHex));

        Assert.Equal(publicHex, Convert.ToHexStringLower(publicKey));
    }

    [Theory]
    [InlineData(
        "WhatsApp",
        "8c858197e235aecac6a927a0e77ba3226e179d9574f6d58c9c5623094ff30c42f58a1d70c113b31513e1578605835387a6e6d7686501403f4abd1ce47a95d98a")]
    public void Signature_is_byte_identical_to_curve25519_js(string message, string signatureHex)
    {
        var signature = Curve25519.CalculateSignature(VectorPrivateKey, Encoding.UTF8.GetBytes(message));

        Assert.Equal(signatureHex, Convert.ToHexStringLower(signature));
        var publicKey = Curve25519.PublicKeyFromPrivateKey(VectorPrivateKey);
        Assert.True(Curve25519.VerifySignature(publicKey, Encoding.UTF8.GetBytes(message), signature));
    }

    [Fact]
    public void Signatures_over_random_keys_and_messages_verify_and_reject_tampering()
    {
        var random = new SeededRandom(7);
        for (var i = 0; i < 64; i++)
        {
            var pair = Curve25519.GenerateKeyPair(random);
            var message = new byte[random.Next(200)];
            random.GetBytes(message);

            var signature = Curve25519.CalculateSignature(pair.PrivateKey, message);

            Assert.True(Curve25519.VerifySignature(pair.PublicKey, message, signature));
            Assert.Equal(signature, Curve25519.CalculateSignature(pair.PrivateKey, message));
            var tampered = (byte[])signature.Clone();
            tampered[random.Next(64)] ^= (byte)(1 << random.Next(8));
            Assert.False(Curve25519.VerifySignature(pair.PublicKey, message, tampered));
            if (message.Length > 0)
            {
                var otherMessage = (byte[])message.Clone();
                otherMessage[random.Next(message.Length)] ^= 1;
                Assert.False(Curve25519.VerifySignature(pair.PublicKey, otherMessage, signature));
            }
        }
    }

    [Fact]
    public void Standard_xeddsa_signature_with_sign_bit_zero_verifies()
    {
        // Standard XEdDSA negates a when A has its sign bit set, so the signature's top bit is always zero.
        var order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        var random = new SeededRandom(11);
        var sawNegated = false;
        for (var i = 0; i < 16; i++)
        {
            var pair = Curve25519.GenerateKeyPair(random);
            var message = Encoding.UTF8.GetBytes($"message {i}");
            var a = new BigInteger(pair.PrivateKey, isUnsigned: true);
            var edwardsKey = new byte[32];
            EdwardsPoint.MultiplyBase(pair.PrivateKey).Encode(edwardsKey);
            if ((edwardsKey[31] & 0x80) != 0)
            {
                sawNegated = true;
                a = (order - (a % order)) % order;
                EdwardsPoint.MultiplyBase(ToScalar(a)).Encode(edwardsKey);
            }

            Assert.Equal(0, edwardsKey[31] & 0x80);
            var nonce = new byte[64];
            random.GetBytes(nonce);
            var r = new BigInteger(nonce, isUnsigned: true) % order;
            var signature = new byte[64];
            EdwardsPoint.MultiplyBase(ToScalar(r)).Encode(signature.AsSpan(0, 32));
            var h = new BigInteger(SHA512.HashData([.. signature.AsSpan(0, 32), .. edwardsKey, .. message]), isUnsigned: true) % order;
            ToScalar((r + (h * a)) % order).CopyTo(signature.AsSpan(32));

            Assert.True(Curve25519.VerifySignature(pair.PublicKey, message, signature));
        }

        Assert.True(sawNegated);
    }

    [Fact]
    public void Agreement_is_symmetric_and_rejects_low_order_keys()
    {
        var random = new SeededRandom(3);
        var alice = Curve25519.GenerateKeyPair(random);
        var bob = Curve25519.GenerateKeyPair(random);

        Assert.Equal(
            Curve25519.CalculateAgreement(bob.PublicKey, alice.PrivateKey),
            Curve25519.CalculateAgreement(alice.PublicKey, bob.PrivateKey));
        Assert.Throws<ArgumentException>(() => Curve25519.CalculateAgreement(new byte[32], alice.PrivateKey));
        Assert.Throws<ArgumentException>(() => Curve25519.CalculateAgreement(new byte[31], alice.PrivateKey));
    }

    [Fact]
    public void Signal_key_form_requires_the_type_prefix()
    {
        var key = Curve25519.GenerateKeyPair(new SeededRandom(5)).PublicKey;
        var prefixed = Curve25519.ToSignalPublicKey(key);

        Assert.Equal(0x05, prefixed[0]);
        Assert.Equal(key, Curve25519.FromSignalPublicKey(prefixed));
        prefixed[0] = 0x06;
        Assert.Throws<WireFormatException>(() => Curve25519.FromSignalPublicKey(prefixed));
        Assert.Throws<WireFormatException>(() => Curve25519.FromSignalPublicKey(key));
    }

    [Fact]
    public void Key_pair_from_private_key_recomputes_the_public_key()
    {
        var pair = Curve25519.GenerateKeyPair(new SeededRandom(9));

        Assert.Equal(pair.PublicKey, KeyPair.FromPrivateKey(pair.PrivateKey).PublicKey);
    }

    private static byte[] ToScalar(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes, out _, isUnsigned: true);
        return bytes;
    }
}
