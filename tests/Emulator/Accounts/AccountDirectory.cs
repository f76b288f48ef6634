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
    public Account GetOrCreate(string phone) => GetOrCreate(phone, lid: null);

    /// <summary>
    /// The account for <paramref name="phone"/> with the LID it was given before this emulator started, created if the
    /// phone is new here. Throws <see cref="InvalidOperationException"/> when the phone has another LID here or the
    /// LID belongs to another phone.
    /// </summary>
    public Account Adopt(string phone, string lid)
    {
        if (string.IsNullOrEmpty(lid) || !lid.All(char.IsAsciiDigit) || lid.Length > 20)
        {
            throw new ArgumentException("a LID user is 1-20 digits", nameof(lid));
        }

        var account = GetOrCreate(phone, lid);
        return account.Lid == lid
            ? account
            : throw new InvalidOperationException("that phone has another LID here");
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

    /// <summary>The existing account, or a new one with <paramref name="lid"/> (a fresh one when null).</summary>
    private Account GetOrCreate(string phone, string? lid)
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

            if (lid is not null && byLid.ContainsKey(lid))
            {
                throw new InvalidOperationException("that LID belongs to another phone");
            }

            while (lid is null || byLid.ContainsKey(lid))
            {
                // Real LIDs are 14-15 digit numbers unrelated to the phone number.
                lid = RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(CultureInfo.InvariantCulture)
                    + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            }

            var account = new Account(phone, lid, (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue));
            byLid[lid] = account;
            byPhone[phone] = account;
            return account;
        }
    }
}
