using System.Security.Claims;
using Classcloud.Web.Data;

namespace Classcloud.Web.Shared;

/// <summary>
/// Adds audit entries to the request's unit of work, so an action and its entry are saved together.
/// The acting user and address come from the current request unless given.
/// </summary>
public sealed class AuditLog(ClasscloudDb db, IHttpContextAccessor http, TimeProvider time)
{
    public void Record(string action, string? target = null, string? detail = null, long? actorId = null, string? actorEmail = null)
    {
        var context = http.HttpContext;
        var principal = context?.User;
        if (actorId is null && principal?.Identity?.IsAuthenticated == true &&
            long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            actorId = id;
            actorEmail ??= principal.FindFirstValue(ClaimTypes.Email);
        }
        db.Audit.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorId = actorId,
            ActorEmail = Truncate(actorEmail, 256),
            Action = action,
            Target = Truncate(target, 256),
            Detail = Truncate(detail, 1000),
            IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
        });
    }

    public async Task RecordAndSaveAsync(string action, string? target, string? detail, long? actorId, string? actorEmail, CancellationToken ct)
    {
        Record(action, target, detail, actorId, actorEmail);
        await db.SaveChangesAsync(ct);
    }

    static string? Truncate(string? value, int max) => value is { Length: > 0 } v && v.Length > max ? v[..max] : value;
}
