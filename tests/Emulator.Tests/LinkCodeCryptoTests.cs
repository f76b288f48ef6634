using Gateway.Emulator.Pairing;

namespace Gateway.Emulator.Tests;

public sealed class LinkCodeCryptoTests
{
    // NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt, first two blocks.
    [Theory]
    [InlineData(
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
        "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5")]
    public void Aes_ctr_matches_the_nist_vector(string key, string counter, string plaintext, string ciphertext) =>
        Assert.Equal(ciphertext, Convert.ToHexStringLower(
            Gateway.WebProtocol.Client.Pairing.AesCtr.Transform(Convert.FromHexString(key), Convert.FromHexString(counter), Convert.FromHexString(plaintext))));

    [Fact]
    public void The_counter_carries_across_the_whole_block()
    {
        var key = new byte[32];
        var iv = Convert.FromHexString("00000000000000000000000000ffffff");
        var twoBlocks = Gateway.WebProtocol.Client.Pairing.AesCtr.Transform(key, iv, new byte[32]);
        var secondAlone = Gateway.WebProtocol.Client.Pairing.AesCtr.Transform(key, Convert.FromHexString("00000000000000000000000001000000"), new byte[16]);
        Assert.Equal(secondAlone, twoBlocks[16..]);
    }

    [Fact]
    public void Wrapping_with_a_code_unwraps_with_the_same_code_only()
    {
        var publicKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var wrapped = LinkCodeCrypto.Wrap("ABCD1234", publicKey);
        Assert.Equal(80, wrapped.Length);
        Assert.Equal(publicKey, LinkCodeCrypto.Unwrap("ABCD1234", wrapped));
        Assert.NotEqual(publicKey, LinkCodeCrypto.Unwrap("ABCD1235", wrapped));
    }
}
