using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Classcloud.Web.Data;

/// <summary>
/// The embedded SQLite database in write-ahead-log mode with <c>synchronous=NORMAL</c>: a commit is one
/// append to the log instead of a journal file written, synced and deleted with every transaction (which
/// cost tens of milliseconds per write on a busy disk, several times per request), and readers no longer
/// wait for a writer. A crash of the process loses nothing; a power cut may lose the last commits, never
/// the database. <c>journal_mode</c> sticks to the file and is set once at start (<see cref="UseWriteAheadLogAsync"/>:
/// switching takes the database for itself, which a busy connection would refuse); <c>synchronous</c> is
/// per connection, hence here.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static SqlitePragmas Instance { get; } = new();

    const string Pragmas = "PRAGMA synchronous=NORMAL;";

    /// <summary>Before anything else opens the database (at start, before migrations).</summary>
    public static async Task UseWriteAheadLogAsync(DbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
