using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Gateway.WebProtocol.Types;

namespace Gateway.Emulator.Accounts;

/// <summary>All accounts of the emulator, by phone number and by LID; thread-safe.</summary>
public sealed class AccountDirectory
{
    private readonly ConcurrentDictionary<string, Account> byPhone = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Account> byLid = new(StringComparer.Ordinal);
    private readonly Lock createGate = new();

    /// <summary>The account for <paramref name="phone"/> (digits), created with a fresh LID on first use.</summary>
    public Account GetOrCreate(string phone)
    {
        if (string.IsNullOrEmpty(phone) || !phone.All(char.IsAsciiDigit) || phone.Length > 15)
        {
            throw new ArgumentException("a phone number is 1-15 digits", nameof(phone));
        }

        if (byPhone.TryGetValue(phone, out var existing))
        {
            return existing;
        }

        lock (createGate)
        {
            if (byPhone.TryGetValue(phone, out existing))
            {
                return existing;
            }

            string lid;
            do
            {
                // Real LIDs are 14-15 digit numbers unrelated to the phone number.
                lid = RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(CultureInfo.InvariantCulture)
                    + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            }
            while (byLid.ContainsKey(lid));

            var account = new Account(phone, lid, (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue));
            byLid[lid] = account;
            byPhone[phone] = account;
            return account;
        }
    }

    public Account? FindByPhone(string phone) => byPhone.TryGetValue(phone, out var a) ? a : null;

    /// <summary>The account a PN or LID JID belongs to.</summary>
    public Account? Find(Jid jid) => jid.Server switch
    {
        JidServer.User => FindByPhone(jid.User),
        JidServer.Lid => byLid.TryGetValue(jid.User, out var a) ? a : null,
        _ => null,
    };

    /// <summary>The live device a device JID (PN or LID) names.</summary>
    public Device? FindDevice(Jid jid) => Find(jid)?.FindDevice(jid.Device);

    public IEnumerable<Account> All => byPhone.Values;
}
