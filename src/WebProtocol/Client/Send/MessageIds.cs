using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.WebProtocol.Client.Send;

/// <summary>Message ids as WhatsApp Web makes them: "3EB0" and 18 upper-case hex digits.</summary>
public static class MessageIds
{
    /// <summary>3EB0 + hex(SHA-256(uint64BE(unix seconds) || own user || "@c.us" || 16 random bytes)[0..9]).</summary>
    public static string New(string ownUser, DateTimeOffset now, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(ownUser);
        ArgumentNullException.ThrowIfNull(random);
        var user = Encoding.UTF8.GetBytes(ownUser + "@c.us");
        var input = new byte[8 + user.Length + 16];
        BinaryPrimitives.WriteUInt64BigEndian(input, (ulong)now.ToUnixTimeSeconds());
        user.CopyTo(input, 8);
        random.GetBytes(input.AsSpan(8 + user.Length));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return "3EB0" + Convert.ToHexString(hash[..9]);
    }
}
