using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>The issue 17 contract: <c>{ "mail": "off" | "daily" | "immediate" }</c>.</summary>
public sealed record NotificationSettingsDto(string? Mail);

/// <summary>Each person's choice of notification mail (My page and GET|PUT /api/v1/me/notification-settings).</summary>
public sealed class NotificationSettingsService(ClasscloudDb db, IStringLocalizer<SharedResource> t)
{
    public async Task<NotificationMail> GetAsync(long userId, CancellationToken ct)
    {
        var role = await db.Users.Where(u => u.Id == userId).Select(u => u.Role).SingleAsync(ct);
        var chosen = await db.NotificationSettings.Where(s => s.UserId == userId).Select(s => s.Mail).FirstOrDefaultAsync(ct);
        return chosen ?? NotificationSetting.DefaultFor(role);
    }

    public async Task<Outcome<NotificationMail>> SetAsync(long userId, string? mail, CancellationToken ct)
    {
        if (NotificationSetting.Parse(mail) is not { } chosen)
        {
            return Problem.BadRequest(t["Mail must be 'off', 'daily' or 'immediate'."]);
        }
        var row = await db.NotificationSettings.SingleOrDefaultAsync(s => s.UserId == userId, ct);
        if (row is null)
        {
            db.NotificationSettings.Add(new NotificationSetting { UserId = userId, Mail = chosen });
        }
        else
        {
            row.Mail = chosen;
        }
        await db.SaveChangesAsync(ct);
        return chosen;
    }
}

public static class NotificationSettingsEndpoints
{
    public static void MapNotificationSettingsApi(this WebApplication app)
    {
        const string Route = "/api/v1/me/notification-settings";
        app.MapGet(Route, async Task<Ok<NotificationSettingsDto>> (ClaimsPrincipal user, NotificationSettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(new NotificationSettingsDto(NotificationSetting.Name(await settings.GetAsync(user.UserId(), ct))))).RequireAuthorization().WithTags("Me");
        app.MapPut(Route, async Task<Results<Ok<NotificationSettingsDto>, ProblemHttpResult>> (
            NotificationSettingsDto? request, ClaimsPrincipal user, NotificationSettingsService settings, CancellationToken ct) =>
        {
            var outcome = await settings.SetAsync(user.UserId(), request?.Mail, ct);
            return outcome.Succeeded
                ? TypedResults.Ok(new NotificationSettingsDto(NotificationSetting.Name(outcome.Value)))
                : outcome.Problem!.ToResult();
        }).RequireAuthorization().WithTags("Me");
    }
}
