using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

public static class CourseMembers
{
    /// <summary>Everyone who belongs to the course: owner, co-educators and accepted students.</summary>
    public static async Task<List<long>> IdsAsync(ClasscloudDb db, long courseId, CancellationToken ct)
    {
        var owner = await db.Courses.Where(c => c.Id == courseId).Select(c => c.OwnerId).ToListAsync(ct);
        var co = await db.CoEducators.Where(c => c.CourseId == courseId).Select(c => c.UserId).ToListAsync(ct);
        var students = await db.Enrolments.Where(e => e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted)
            .Select(e => e.UserId).ToListAsync(ct);
        return owner.Concat(co).Concat(students).Distinct().ToList();
    }
}
