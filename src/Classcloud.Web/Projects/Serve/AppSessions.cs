using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// The redirect handshake of an app that is not public. Apps live on another domain, so the platform's
/// sign-in cookie is neither sent nor wanted there: the platform checks the visitor and hands the gateway a
/// one-minute ticket in the URL; the gateway swaps it for a cookie valid for that app's host only.
/// </summary>
public sealed class AppSessions(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "classcloud_app";
    public const string SessionPath = "/.classcloud/session";
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    ITimeLimitedDataProtector Tickets => protection.CreateProtector("Classcloud.Projects.AppTicket").ToTimeLimitedDataProtector();

    ITimeLimitedDataProtector Sessions => protection.CreateProtector("Classcloud.Projects.AppSession").ToTimeLimitedDataProtector();

    public string Ticket(long projectId, long userId) => Tickets.Protect(Payload(projectId, userId), time.GetUtcNow() + TicketLifetime);

    public string Session(long projectId, long userId) => Sessions.Protect(Payload(projectId, userId), time.GetUtcNow() + SessionLifetime);

    /// <summary>The user a ticket names for this project; null when it is forged, expired or for another project.</summary>
    public long? FromTicket(string? ticket, long projectId) => Read(Tickets, ticket, projectId);

    public long? FromSession(string? cookie, long projectId) => Read(Sessions, cookie, projectId);

    static string Payload(long projectId, long userId) => string.Create(CultureInfo.InvariantCulture, $"{projectId}:{userId}");

    static long? Read(ITimeLimitedDataProtector protector, string? value, long projectId)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var parts = protector.Unprotect(value).Split(':');
            return parts.Length == 2 && parts[0] == projectId.ToString(CultureInfo.InvariantCulture) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var user)
                ? user : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
