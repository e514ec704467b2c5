using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Assignments;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Lti;

/// <summary>What one grade passback did: the line item per platform, scores sent, students without an LMS account there.</summary>
public sealed record LtiScoresDto(IReadOnlyList<string> LineItems, int Sent, int Skipped);

/// <summary>
/// Assignment and Grade Services 2.0: an assignment's released scores go to a line item of each LMS course placed on
/// its course. The line item is found by its resource id (<c>classcloud-assignment-{id}</c>) or made; each student's
/// latest submission's final score is posted to its <c>/scores</c> as Completed and FullyGraded. Scores stay private
/// until released in Classcloud, so the LMS never shows one earlier than the student could.
/// </summary>
public sealed class LtiGrades(ClasscloudDb db, AssignmentGate gate, LtiServiceTokens tokens, LtiPlatformCalls calls, TimeProvider time)
{
    const string LineItemType = "application/vnd.ims.lis.v2.lineitem+json";
    const string ContainerType = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    const string ScoreType = "application/vnd.ims.lis.v1.score+json";

    public async Task<Outcome<LtiScoresDto>> SendAsync(Caller caller, long assignmentId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var assignment = opened.Value!.Assignment;
        if (!assignment.Released)
        {
            return Problem.Conflict("Release the scores first: the learning platform shows a score only once the student can see it here.");
        }
        var links = await db.Set<LtiContextLink>().AsNoTracking().Where(l => l.CourseId == assignment.CourseId && l.LineItemsUrl != null).ToListAsync(ct);
        if (links.Count == 0)
        {
            return Problem.Conflict("No learning platform has offered a gradebook for this course yet. Open the course once from the platform's link.");
        }
        var submissions = await db.Submissions.AsNoTracking().Where(s => s.AssignmentId == assignmentId).ToListAsync(ct);
        var latest = submissions.GroupBy(s => s.UserId)
            .Select(g => g.OrderByDescending(s => s.TakenAt).ThenByDescending(s => s.Id).First()).Where(s => s.Final is not null).ToList();
        var maximum = Math.Max(1, latest.Select(s => Math.Max(s.MaxScore, s.Final ?? 0)).DefaultIfEmpty(0).Max());
        var total = new LtiScoresDto([], 0, 0);
        using var client = calls.Client();
        foreach (var link in links)
        {
            var platform = await db.Set<LtiPlatform>().AsNoTracking().SingleAsync(p => p.Id == link.PlatformId, ct);
            var one = await calls.GuardAsync(platform.Name, () => SendToAsync(client, platform, link, assignment, latest, maximum, ct), ct);
            if (!one.Succeeded)
            {
                return one.Problem!;
            }
            total = new LtiScoresDto([.. total.LineItems, .. one.Value!.LineItems], total.Sent + one.Value.Sent, total.Skipped + one.Value.Skipped);
        }
        return total;
    }

    /// <summary>The scores of one LMS course placed on the assignment's course: its line item found or made, then one score per known student.</summary>
    async Task<Outcome<LtiScoresDto>> SendToAsync(HttpClient client, LtiPlatform platform, LtiContextLink link, Assignment assignment,
        List<Submission> latest, double maximum, CancellationToken ct)
    {
        var token = await tokens.TokenAsync(platform, $"{LtiServiceTokens.LineItemScope} {LtiServiceTokens.ScoreScope}", ct);
        if (!token.Succeeded)
        {
            return token.Problem!;
        }
        var item = await LineItemAsync(client, token.Value!, link.LineItemsUrl!, assignment, maximum, ct);
        if (item is null)
        {
            return Problem.Conflict("{0} refused to keep a gradebook column for this assignment.", platform.Name);
        }
        var provider = LtiAccounts.LoginProvider(platform.Id);
        var ids = latest.Select(s => s.UserId).ToList();
        var subjects = await db.UserLogins.AsNoTracking().Where(l => l.LoginProvider == provider && ids.Contains(l.UserId))
            .ToDictionaryAsync(l => l.UserId, l => l.ProviderKey, ct);
        var (sent, skipped) = (0, 0);
        foreach (var submission in latest)
        {
            if (!subjects.TryGetValue(submission.UserId, out var subject))
            {
                skipped++;
                continue;
            }
            var score = new
            {
                userId = subject,
                scoreGiven = submission.Final,
                scoreMaximum = maximum,
                activityProgress = "Completed",
                gradingProgress = "FullyGraded",
                timestamp = time.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
            };
            using var posted = await SendJsonAsync(client, HttpMethod.Post, ScoresUrl(item), token.Value!, ScoreType, score, ct);
            if (!posted.IsSuccessStatusCode)
            {
                return Problem.Conflict("{0} refused a score ({1}).", platform.Name, (int)posted.StatusCode);
            }
            sent++;
        }
        return new LtiScoresDto([item], sent, skipped);
    }

    /// <summary>The line item of this assignment in the context, found by resource id, else made.</summary>
    static async Task<string?> LineItemAsync(HttpClient client, string token, string lineItems, Assignment assignment, double maximum, CancellationToken ct)
    {
        var resourceId = $"classcloud-assignment-{assignment.Id}";
        var query = (lineItems.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "resource_id=" + Uri.EscapeDataString(resourceId);
        using (var request = new HttpRequestMessage(HttpMethod.Get, lineItems + query))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ContainerType));
            using var found = await client.SendAsync(request, ct);
            if (found.IsSuccessStatusCode)
            {
                using var list = JsonDocument.Parse(await found.Content.ReadAsStringAsync(ct));
                if (list.RootElement.ValueKind == JsonValueKind.Array && list.RootElement.EnumerateArray()
                    .FirstOrDefault(i => i.TryGetProperty("resourceId", out var r) && r.GetString() == resourceId) is { ValueKind: JsonValueKind.Object } existing)
                {
                    return Usable(existing.GetProperty("id").GetString());
                }
            }
        }
        var body = new { scoreMaximum = maximum, label = assignment.Title, resourceId, tag = "classcloud" };
        using var made = await SendJsonAsync(client, HttpMethod.Post, lineItems, token, LineItemType, body, ct);
        if (!made.IsSuccessStatusCode)
        {
            return null;
        }
        using var item = JsonDocument.Parse(await made.Content.ReadAsStringAsync(ct));
        return item.RootElement.TryGetProperty("id", out var id) ? Usable(id.GetString()) : null;
    }

    /// <summary>The token goes wherever the line item's id points: only to the URLs a registration could name.</summary>
    static string? Usable(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && LtiPlatforms.IsAllowedScheme(u) ? url : null;

    static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string url, string token, string type, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, type),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, ct);
    }

    /// <summary>AGS §3.4: the scores endpoint is the line item URL with /scores appended to its path, before any query.</summary>
    internal static string ScoresUrl(string lineItem)
    {
        var at = lineItem.IndexOf('?', StringComparison.Ordinal);
        return at < 0 ? lineItem.TrimEnd('/') + "/scores" : lineItem[..at].TrimEnd('/') + "/scores" + lineItem[at..];
    }
}
