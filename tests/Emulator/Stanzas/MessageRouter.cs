using Gateway.Emulator.Accounts;
using Gateway.Emulator.Connections;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Types;
using static Gateway.Emulator.Stanzas.StanzaBuilder;

namespace Gateway.Emulator.Stanzas;

/// <summary>
/// Fans a sender's message stanza out to every listed device, acks the sender, and carries receipts back.
/// Every delivery is recorded on the target device until it acks, so offline devices get it at login.
/// </summary>
internal sealed class MessageRouter(AccountDirectory accounts, TimeProvider time)
{
    public void RouteMessage(EmulatorConnection connection, Device sender, Node message)
    {
        var id = message.GetAttribute("id") ?? "";
        var chat = message.GetAttribute("to") ?? "";
        var chatJid = Jid.TryParse(chat, out var parsed) ? parsed : default;
        var deviceIdentity = message.GetChild("device-identity");
        var t = Seconds(time);
        var fromOwnAccount = chatJid.IsEmpty ? null : accounts.Find(chatJid);
        foreach (var to in message.GetChild("participants")?.GetChildren("to") ?? [])
        {
            if (to.GetJidAttribute("jid") is not { } target || accounts.FindDevice(target) is not { } device)
            {
                continue;
            }

            var attributes = Attrs(("from", sender.JidOn(target.Server).ToString()), ("id", id),
                ("type", message.GetAttribute("type") ?? "text"), ("t", t));
            if (ReferenceEquals(device.Account, sender.Account) && !ReferenceEquals(fromOwnAccount, sender.Account))
            {
                // A copy for the sender's own other devices names the chat it went to.
                attributes.Set("recipient", chat);
            }

            var children = to.Children.Where(c => c.Tag == "enc").ToList();
            if (device.Faults.TakeCorruption())
            {
                children = children.Select(Tampered).ToList();
            }

            if (deviceIdentity is not null)
            {
                children.Add(deviceIdentity);
            }

            device.Enqueue(new PendingStanza("message", id, Make("message", attributes, [.. children])));
        }

        var ack = Make("ack", Attrs(("class", "message"), ("id", id), ("from", chat), ("t", t)));
        var delay = sender.Faults.AckDelay;
        if (delay <= TimeSpan.Zero)
        {
            connection.Post(ack);
            return;
        }

        // Delayed off the read loop, so the connection keeps answering pings meanwhile.
        _ = Task.Delay(delay, time, connection.Lifetime)
            .ContinueWith(_ => connection.Post(ack), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>
    /// Flips the last byte: in a msg that is the MAC, in an skmsg the signature, so decryption fails cleanly
    /// (in a pkmsg it lands in a header field instead).
    /// </summary>
    private static Node Tampered(Node enc)
    {
        if (enc.Bytes is not { Length: > 0 } bytes)
        {
            return enc;
        }

        var copy = (byte[])bytes.Clone();
        copy[^1] ^= 0x01;
        return new Node(enc.Tag, enc.Attributes, copy);
    }

    /// <summary>
    /// Delivery receipts name the sender's device; read receipts name the chat (a user): those go to every
    /// device of that user.
    /// </summary>
    public void RouteReceipt(EmulatorConnection connection, Device sender, Node receipt)
    {
        var id = receipt.GetAttribute("id") ?? "";
        var to = receipt.GetJidAttribute("to");
        var type = receipt.GetAttribute("type");
        var ack = Attrs(("class", "receipt"), ("id", id), ("from", receipt.GetAttribute("to") ?? ServerJid));
        if (type is not null)
        {
            ack.Set("type", type);
        }

        connection.Post(Make("ack", ack));
        if (to is not { } target)
        {
            return;
        }

        var targets = target.Device != 0
            ? accounts.FindDevice(target) is { } one ? [one] : []
            : accounts.Find(target)?.ActiveDevices().Where(d => !ReferenceEquals(d, sender)).ToArray() ?? [];
        foreach (var device in targets)
        {
            var attributes = new NodeAttributes();
            foreach (var (key, value) in receipt.Attributes)
            {
                if (key != "to")
                {
                    attributes.Set(key, value);
                }
            }

            attributes.Set("from", sender.JidOn(target.Server).ToString());
            attributes.Set("t", Seconds(time));
            var forwarded = receipt.Children.Count == 0 ? new Node("receipt", attributes) : new Node("receipt", attributes, receipt.Children);
            device.Enqueue(new PendingStanza("receipt", id, forwarded));
        }
    }
}
