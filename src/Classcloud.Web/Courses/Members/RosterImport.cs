using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Status is enrol, invite, duplicate, member (already in the course) or invalid.</summary>
public sealed record RosterRowDto(int Line, string Email, string Name, string? StudentNumber, string Status, string Detail);

public sealed record RosterReport(
    bool DryRun, bool Valid, string? Problem, int Enrol, int Invite, int Duplicate, int Member, int Invalid, IReadOnlyList<RosterRowDto> Rows);

/// <summary>
/// Roster import (seed 002 §2.3): a preview with one entry per row, then the same file confirmed.
/// A file with any invalid row enrols nobody; existing accounts are enrolled at once, other
/// addresses get an invitation mail that enrols them once they sign up and confirm the address.
/// </summary>
public sealed class RosterImport(
    CourseGate gate, EnrolmentService enrolments, RosterPreview preview, RosterEnrolment enrolment, IOptions<CoursesOptions> options, IStringLocalizer<SharedResource> t)
{
    /// <summary>Checked before the upload is read, so outsiders are refused without sending a file's worth of work.</summary>
    public async Task<Problem?> AuthorizeAsync(Caller caller, long courseId, CancellationToken ct)
    {
        return (await gate.OpenAsEducatorAsync(courseId, caller, ct)).Problem;
    }

    public async Task<Outcome<RosterReport>> ImportAsync(Caller caller, long courseId, byte[] content, bool dryRun, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var parsed = RosterParser.Parse(content, options.Value.MaxRosterRows);
        if (parsed.Error is { } fileError)
        {
            return Problem.BadRequest(fileError switch
            {
                RosterFileError.TooManyRows => t["The file has more than {0} rows; split it into smaller files.", options.Value.MaxRosterRows],
                RosterFileError.NoEmailColumn => t["The first row must name the columns (e-mail, name, student number — or 이메일, 이름, 학번), or every row must start with an e-mail address."],
                _ => t["The file has no rows."],
            });
        }
        var course = access.Course;
        var rows = await preview.ClassifyAsync(course, parsed.Lines, ct);
        var report = RosterPreview.Summarize(rows, dryRun, null);
        if (!report.Valid)
        {
            report = report with { Problem = t["{0} of {1} rows cannot be used. Fix them and upload the file again; nobody is enrolled from a file with errors.", report.Invalid, rows.Count] };
        }
        var enrolCount = rows.Count(r => r.Status == "enrol");
        if (report.Valid && enrolCount > 0 && await enrolments.IsFullAsync(course, enrolCount, ct))
        {
            report = report with { Valid = false, Problem = t["The course has a capacity of {0}; this file would take it over.", course.Capacity ?? 0] };
        }
        if (dryRun || !report.Valid)
        {
            return report;
        }
        await enrolment.ApplyAsync(caller, course, parsed.Lines, rows, ct);
        return report;
    }
}
