using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

public sealed record MarkReadRequest(IReadOnlyList<long>? Ids);

public sealed record MarkedRead(int Marked);

/// <summary>The caller's own notifications (issue 6 contract: GET /api/v1/notifications).</summary>
public static class NotificationEndpoints
{
    public static void MapNotificationApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/notifications").RequireAuthorization().WithTags("Notifications");
        api.MapGet("/", async Task<Ok<NotificationPage>> (int? page, bool? unread, ClaimsPrincipal user, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(await notifications.ListAsync(Caller.From(user), page, unread == true, ct)));
        api.MapPost("/read", async Task<Ok<MarkedRead>> (MarkReadRequest? request, ClaimsPrincipal user, NotificationService notifications, CancellationToken ct) =>
            TypedResults.Ok(new MarkedRead(await notifications.MarkReadAsync(Caller.From(user), request?.Ids, ct))));
    }
}
