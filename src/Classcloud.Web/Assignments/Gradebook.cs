using System.Globalization;
using System.Text;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments;

/// <summary>
/// Students × assignments as CSV for the school's LMS: each cell the score of the student's latest submission
/// (the override when set), empty when there is none or it is not graded. UTF-8 with a BOM (Korean Excel),
/// and cells a spreadsheet would run as a formula are escaped as in the member export.
/// </summary>
public sealed class Gradebook(ClasscloudDb db, CourseGate gate)
{
    public async Task<Outcome<byte[]>> CsvAsync(Caller caller, long courseId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var assignments = await db.Assignments.Where(a => a.CourseId == courseId).OrderBy(a => a.DueAt).ThenBy(a => a.Id).ToListAsync(ct);
        var students = await (from e in db.Enrolments
                              join u in db.Users on e.UserId equals u.Id
                              where e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted
                              orderby e.StudentNumber, u.Name
                              select new { u.Id, u.Name, u.Email, e.StudentNumber }).ToListAsync(ct);
        var ids = assignments.Select(a => a.Id).ToList();
        var submissions = await db.Submissions.Where(s => ids.Contains(s.AssignmentId)).ToListAsync(ct);
        var latest = submissions.GroupBy(s => (s.AssignmentId, s.UserId))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.TakenAt).ThenByDescending(s => s.Id).First());
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            foreach (var header in new[] { "student_number", "name", "email" }.Concat(assignments.Select(a => a.Title)).Append("total"))
            {
                csv.WriteField(header);
            }
            await csv.EndRecordAsync(ct);
            foreach (var s in students)
            {
                csv.WriteField(s.StudentNumber ?? "");
                csv.WriteField(s.Name);
                csv.WriteField(s.Email ?? "");
                double total = 0;
                foreach (var a in assignments)
                {
                    var score = latest.TryGetValue((a.Id, s.Id), out var sub) ? sub.Final : null;
                    total += score ?? 0;
                    csv.WriteField(score?.ToString(CultureInfo.InvariantCulture) ?? "");
                }
                csv.WriteField(total.ToString(CultureInfo.InvariantCulture));
                await csv.EndRecordAsync(ct);
            }
        }
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
    }
}
