using System.Net.Http.Headers;
using System.Text.Json;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Lti;

/// <summary>What one roster sync did.</summary>
public sealed record LtiRosterDto(int Members, int Enrolled, int Teaching, int Skipped);

/// <summary>
/// Names and Role Provisioning 2.0: reads the membership of each LMS course placed on a Classcloud course, page by
/// page (<c>limit</c>, then the <c>Link: rel="next"</c> header), and enrols its active learners as students and its
/// instructors who are approved educators as co-educators, making accounts as a first launch would.
/// </summary>
public sealed class LtiRoster(ClasscloudDb db, CourseGate gate, LtiServiceTokens tokens, LtiPlatformCalls calls, LtiAccounts accounts, LtiCourses courses)
{
    const int PageSize = 50;
    const int MaxPages = 50;
    const string MediaType = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";

    public async Task<Outcome<LtiRosterDto>> SyncAsync(Caller caller, long courseId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var course = opened.Value!.Course;
        var links = await db.Set<LtiContextLink>().AsNoTracking().Where(l => l.CourseId == courseId && l.MembershipsUrl != null).ToListAsync(ct);
        if (links.Count == 0)
        {
            return Problem.Conflict("No learning platform has shared this course's roster yet. Open the course once from the platform's link.");
        }
        var total = new LtiRosterDto(0, 0, 0, 0);
        foreach (var link in links)
        {
            var platform = await db.Set<LtiPlatform>().AsNoTracking().SingleAsync(p => p.Id == link.PlatformId, ct);
            var members = await calls.GuardAsync(platform.Name, () => ReadAsync(platform, link.MembershipsUrl!, ct), ct);
            if (!members.Succeeded)
            {
                return members.Problem!;
            }
            foreach (var member in members.Value!)
            {
                total = await ApplyAsync(platform, course, member, total, ct);
            }
        }
        return total;
    }

    async Task<LtiRosterDto> ApplyAsync(LtiPlatform platform, Course course, JsonElement member, LtiRosterDto total, CancellationToken ct)
    {
        total = total with { Members = total.Members + 1 };
        var subject = Text(member, "user_id");
        var roles = member.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [];
        var probe = new LtiLaunch(platform, LtiLaunch.ResourceLink, "", subject ?? "", null, null, roles, null, null,
            new Dictionary<string, string>(), null);
        if (subject is null || (Text(member, "status") ?? "Active") != "Active" || !(probe.IsLearner || probe.IsInstructor))
        {
            return total with { Skipped = total.Skipped + 1 };
        }
        var user = await accounts.FindAsync(platform, subject);
        if (user is null)
        {
            // Teachers get an account at their own first launch (it waits for approval); the roster makes students'.
            var made = probe.IsInstructor ? default : await accounts.LinkOrCreateAsync(platform,
                new LtiPerson(subject, Text(member, "name"), Text(member, "email"), Instructor: false), ct);
            if (!made.Succeeded || made.Value is null)
            {
                return total with { Skipped = total.Skipped + 1 };
            }
            user = made.Value;
        }
        if (probe.IsInstructor)
        {
            return await courses.TeachAsync(course, user, ct) is null && user.IsApprovedEducator
                ? total with { Teaching = total.Teaching + 1 }
                : total with { Skipped = total.Skipped + 1 };
        }
        return await courses.EnrolAsync(course, user, ct) is null
            ? total with { Enrolled = total.Enrolled + 1 }
            : total with { Skipped = total.Skipped + 1 };
    }

    /// <summary>Every member, following the next-page links (same scheme rules as registered URLs, at most 50 pages).</summary>
    async Task<Outcome<List<JsonElement>>> ReadAsync(LtiPlatform platform, string url, CancellationToken ct)
    {
        var token = await tokens.TokenAsync(platform, LtiServiceTokens.MembershipScope, ct);
        if (!token.Succeeded)
        {
            return token.Problem!;
        }
        var members = new List<JsonElement>();
        string? next = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=" + PageSize;
        using var client = calls.Client();
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
            using var response = await client.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return Problem.Conflict("{0} refused to share the roster ({1}).", platform.Name, (int)response.StatusCode);
            }
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (json.RootElement.TryGetProperty("members", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                members.AddRange(list.EnumerateArray().Select(m => m.Clone()));
            }
            next = Next(response);
        }
        return members;
    }

    /// <summary>The <c>rel="next"</c> target of the Link header (RFC 8288), when it is an allowed URL.</summary>
    internal static string? Next(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : "";
        foreach (var part in header.Split(','))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (pieces.Length > 1 && pieces[0].StartsWith('<') && pieces[0].EndsWith('>')
                && pieces.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next")
                && Uri.TryCreate(pieces[0][1..^1], UriKind.Absolute, out var target) && LtiPlatforms.IsAllowedScheme(target))
            {
                return target.AbsoluteUri;
            }
        }
        return null;
    }

    static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
