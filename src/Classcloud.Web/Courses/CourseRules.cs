using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Courses;

/// <summary>What a course request must meet, and how many courses an educator may create.</summary>
public sealed class CourseRules(
    ClasscloudDb db, AccountValidation validate, SettingsService settings, IOptions<WorkspacesOptions> workspaces, IStringLocalizer<SharedResource> t)
{
    /// <summary>Refuses a new course past the administrator's quota (administrators have none).</summary>
    public async Task<Problem?> QuotaAsync(Caller caller, CancellationToken ct)
    {
        var quota = (await settings.GetAsync(ct)).MaxCoursesPerEducator;
        return !caller.IsAdmin && await db.Courses.CountAsync(c => c.OwnerId == caller.UserId, ct) >= quota
            ? Problem.Conflict("You already have {0} courses, the most an educator may create. Delete one or ask an administrator.", quota)
            : null;
    }

    /// <summary>The request's fields: name, description, section, capacity, joining and idle times.</summary>
    public Problem? Check(CourseRequest request, out JoinPolicy? policy)
    {
        policy = null;
        var problem = validate.Text(request.Name, "Course name", CourseLimits.Name)
            ?? validate.Text(request.Description, "Description", CourseLimits.Description);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Section is { Length: > 0 } section && (section.Length > CourseLimits.Section || section.Any(char.IsControl)))
        {
            return Problem.BadRequest("{0} must be at most {1} characters.", t["Section"], CourseLimits.Section);
        }
        if (request.Capacity is { } capacity && capacity is < 1 or > CourseLimits.MaxCapacity)
        {
            return Problem.BadRequest("Capacity must be between 1 and {0}, or empty for no limit.", CourseLimits.MaxCapacity);
        }
        if (request.JoinPolicy is not null)
        {
            policy = CourseNames.ParseJoinPolicy(request.JoinPolicy);
            if (policy is null)
            {
                return Problem.BadRequest("Joining must be 'approval', 'open' or 'invite-only'.");
            }
        }
        return ValidateIdle(request);
    }

    /// <summary>
    /// Course idle overrides: each within its bounds, and the suspend time (as it will apply, override or
    /// installation default) no longer than the stop time — else the workspace would be stopped first and never suspended.
    /// </summary>
    Problem? ValidateIdle(CourseRequest request)
    {
        if (request.IdleSuspendMinutes is { } suspend && suspend is < CourseLimits.MinIdleMinutes or > CourseLimits.MaxIdleSuspendMinutes)
        {
            return Problem.BadRequest("The idle time before suspending must be between {0} and {1} minutes, or empty for the installation default.",
                CourseLimits.MinIdleMinutes, CourseLimits.MaxIdleSuspendMinutes);
        }
        if (request.IdleStopMinutes is { } stop && stop is < CourseLimits.MinIdleMinutes or > CourseLimits.MaxIdleStopMinutes)
        {
            return Problem.BadRequest("The idle time before stopping must be between {0} and {1} minutes, or empty for the installation default.",
                CourseLimits.MinIdleMinutes, CourseLimits.MaxIdleStopMinutes);
        }
        if (request.IdleSuspendMinutes is null && request.IdleStopMinutes is null)
        {
            return null;
        }
        var o = workspaces.Value;
        var effectiveSuspend = request.IdleSuspendMinutes is { } s ? TimeSpan.FromMinutes(s) : o.IdleSuspendAfter;
        var effectiveStop = request.IdleStopMinutes is { } p ? TimeSpan.FromMinutes(p) : o.IdleStopAfter;
        if (effectiveSuspend > TimeSpan.Zero && effectiveStop > TimeSpan.Zero && effectiveSuspend > effectiveStop)
        {
            return Problem.BadRequest("The idle time before suspending ({0} min) must not be longer than the idle time before stopping ({1} min).",
                (int)effectiveSuspend.TotalMinutes, (int)effectiveStop.TotalMinutes);
        }
        return null;
    }
}
