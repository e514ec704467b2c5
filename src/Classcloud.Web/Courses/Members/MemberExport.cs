using System.Globalization;
using System.Text;
using Classcloud.Web.Hosting;
using CsvHelper;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>
/// The member list as CSV for the educators (for the school's LMS or a spreadsheet). Cells that a
/// spreadsheet would run as a formula (=, +, -, @, tab, CR) are written with a leading quote, so a
/// name like "=cmd|' /C calc'!A0" typed at sign-up or in a roster stays text.
/// </summary>
public sealed class MemberExport(CourseGate gate, EnrolmentService enrolments)
{
    public async Task<Outcome<byte[]>> CsvAsync(Caller caller, long courseId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var list = (await enrolments.MembersAsync(caller, courseId, ct)).Value!;
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape };
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            foreach (var header in new[] { "role", "name", "nickname", "email", "student_number" })
            {
                csv.WriteField(header);
            }
            await csv.EndRecordAsync(ct);
            foreach (var m in list)
            {
                csv.WriteField(m.Role);
                csv.WriteField(m.User.Name);
                csv.WriteField(m.User.Nickname);
                csv.WriteField(m.Email ?? "");
                csv.WriteField(m.StudentNumber ?? "");
                await csv.EndRecordAsync(ct);
            }
        }
        // With a BOM, Excel opens Korean names correctly.
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
    }
}
