using System.Threading.Channels;
using Classcloud.Web.Data;

namespace Classcloud.Web.Mail;

/// <summary>Wakes the background sender when new mail is committed.</summary>
public sealed class MailSignal
{
    readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed with no wake-up: look at the outbox anyway.
        }
    }
}

/// <summary>Queues mail in the request's unit of work; the sender is woken once the work is saved.</summary>
public sealed class Mailer(ClasscloudDb db, MailSignal signal, TimeProvider time)
{
    bool hooked;

    public void Enqueue(string to, string subject, string body)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.Mail.Add(new OutboxMail { To = to, Subject = subject, Body = body, CreatedAt = now, NextAttemptAt = now });
        if (!hooked)
        {
            hooked = true;
            db.SavedChanges += (_, _) => signal.Wake();
        }
    }
}
