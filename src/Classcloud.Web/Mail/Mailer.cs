using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Classcloud.Web.Mail;

/// <summary>Wakes the background sender when new mail is committed.</summary>
public sealed class MailSignal
{
    readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly ConditionalWeakTable<DbContext, object> pending = new();

    public void Wake() => channel.Writer.TryWrite(true);

    /// <summary>Remembers that a unit of work holds mail, so its commit wakes the sender.</summary>
    public void MarkPending(DbContext context) => pending.AddOrUpdate(context, this);

    /// <summary>Wakes the sender if the context had mail waiting for this save or commit.</summary>
    public void WakeIfPending(DbContext? context)
    {
        if (context is not null && pending.Remove(context))
        {
            Wake();
        }
    }

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

/// <summary>Queues mail in the request's unit of work; the sender is woken once that work is committed.</summary>
public sealed class Mailer(ClasscloudDb db, MailSignal signal, TimeProvider time)
{
    public void Enqueue(string to, string subject, string body)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.Mail.Add(new OutboxMail { To = to, Subject = subject, Body = body, CreatedAt = now, NextAttemptAt = now });
        signal.MarkPending(db);
    }
}

/// <summary>
/// Wakes the sender after the save (no explicit transaction) or the commit (explicit transaction)
/// that made queued mail visible; waking on the save inside a transaction would find nothing yet.
/// </summary>
internal sealed class MailCommitInterceptor(MailSignal signal) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        signal.WakeIfPending(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => signal.WakeIfPending(eventData.Context);

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            signal.WakeIfPending(eventData.Context);
        }
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            signal.WakeIfPending(eventData.Context);
        }
        return result;
    }
}
