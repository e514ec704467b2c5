using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Admin;

public sealed record AuditQuery(string? Action, string? Q, DateTime? From, DateTime? To, int? Page, int? PageSize);

public sealed record AuditDto(long Id, DateTime At, long? ActorId, string? ActorEmail, string Action, string? Target, string? Detail, string? IpAddress);

/// <summary>Filters and pages the audit log for administrators.</summary>
public sealed class AuditQueryService(ClasscloudDb db)
{
    public async Task<Paged<AuditDto>> SearchAsync(AuditQuery query, int maxPageSize, CancellationToken ct)
    {
        var (page, size) = Paging.Clamp(query.Page, query.PageSize, maxPageSize);
        var q = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            q = action.EndsWith('*') ? q.Where(a => a.Action.StartsWith(action.TrimEnd('*'))) : q.Where(a => a.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim();
            // lower() on both sides: PostgreSQL compares case-sensitively and SQLite's instr() does too.
            text = (text.Length > 100 ? text[..100] : text).ToLowerInvariant();
#pragma warning disable CA1862 // EF Core translates ToLower() to SQL lower(); the StringComparison overloads do not translate
            q = q.Where(a => (a.ActorEmail != null && a.ActorEmail.ToLower().Contains(text))
                || (a.Target != null && a.Target.ToLower().Contains(text))
                || (a.IpAddress != null && a.IpAddress.Contains(text)));
#pragma warning restore CA1862
        }
        if (query.From is { } from)
        {
            var f = DateTime.SpecifyKind(from, DateTimeKind.Utc);
            q = q.Where(a => a.At >= f);
        }
        if (query.To is { } to)
        {
            var t = DateTime.SpecifyKind(to, DateTimeKind.Utc);
            q = q.Where(a => a.At < t);
        }
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(a => a.Id).Skip((page - 1) * size).Take(size)
            .Select(a => new AuditDto(a.Id, a.At, a.ActorId, a.ActorEmail, a.Action, a.Target, a.Detail, a.IpAddress))
            .ToListAsync(ct);
        return new Paged<AuditDto>(items, page, size, total);
    }
}
