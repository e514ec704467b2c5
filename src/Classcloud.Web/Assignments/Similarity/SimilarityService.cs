using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;

namespace Classcloud.Web.Assignments.Similarity;

/// <summary>
/// The similarity report of an assignment (educators only): the latest submission of each student, read from the
/// stored archives, compared by <see cref="SimilarityEngine"/> with the starter files' code left out.
/// </summary>
public sealed class SimilarityService(ClasscloudDb db, AssignmentGate gate, SubmissionArchive archive)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 200;

    /// <summary>A file larger than this is not a student's program (data, output) and is not read.</summary>
    const int MaxFileBytes = 256 * 1024;

    public async Task<Outcome<SimilarityReportDto>> ReportAsync(Caller caller, long assignmentId, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problem.BadRequest("The limit must be 1–{0}.", MaxLimit);
        }
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var a = opened.Value!.Assignment;
        var rows = await db.Submissions.Where(s => s.AssignmentId == assignmentId).ToListAsync(ct);
        var latest = rows.GroupBy(s => s.UserId).Select(g => g.OrderByDescending(s => s.TakenAt).ThenByDescending(s => s.Id).First()).OrderBy(s => s.Id).ToList();
        var inputs = new List<SimilarityInput>(latest.Count);
        foreach (var s in latest)
        {
            inputs.Add(await ReadAsync(a, s, ct));
        }
        var matches = SimilarityEngine.Compare(inputs, Starter(a), limit ?? DefaultLimit);
        var ids = latest.Select(s => s.UserId).ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        SimilaritySideDto Side(int index, double share, IReadOnlyList<LineRange> ranges) => new(latest[index].Id, latest[index].UserId,
            names.GetValueOrDefault(latest[index].UserId, ""), Percent(share), ranges.Select(r => new LineRangeDto(r.Path, r.From, r.To)).ToList());
        var pairs = matches.Select(m => new SimilarityPairDto(Side(m.Left, m.LeftShare, m.LeftRanges), Side(m.Right, m.RightShare, m.RightRanges), m.Shared, Percent(m.Score))).ToList();
        return new SimilarityReportDto(a.Id, latest.Count, Winnowing.K, Winnowing.W, SimilarityEngine.CommonAbove(latest.Count), pairs);
    }

    /// <summary>Two submissions of one assignment side by side, each line marked when the other has it too.</summary>
    public async Task<Outcome<(AssignmentAccess Access, SimilarityFilesDto Left, SimilarityFilesDto Right)>> CompareAsync(
        Caller caller, long assignmentId, long leftId, long rightId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var a = opened.Value!.Assignment;
        var pair = await db.Submissions.Where(s => s.AssignmentId == assignmentId && (s.Id == leftId || s.Id == rightId)).ToListAsync(ct);
        if (pair.Count != 2 || leftId == rightId)
        {
            return gate.NoSuchSubmission;
        }
        var (left, right) = (pair.Single(s => s.Id == leftId), pair.Single(s => s.Id == rightId));
        var (l, r) = (await ReadAsync(a, left, ct), await ReadAsync(a, right, ct));
        var (lm, rm) = SimilarityEngine.Marks(l, r, Starter(a));
        var names = await db.Users.Where(u => u.Id == left.UserId || u.Id == right.UserId).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return (opened.Value, View(left, names, l, lm), View(right, names, r, rm));
    }

    static SimilarityFilesDto View(Submission s, Dictionary<long, string> names, SimilarityInput input, IReadOnlyList<LineRange> marks) =>
        new(s.Id, names.GetValueOrDefault(s.UserId, ""), input.Files.Select(f =>
        {
            var lines = f.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var marked = new bool[lines.Length];
            foreach (var m in marks.Where(m => m.Path == f.Path))
            {
                for (var n = m.From; n <= m.To && n <= lines.Length; n++)
                {
                    marked[n - 1] = true;
                }
            }
            return new SimilarityFileView(f.Path, lines, marked);
        }).ToList());

    static double Percent(double share) => Math.Round(share * 100, 1);

    /// <summary>The code files of a submission: files with a code extension, and files without one read as the assignment's language.</summary>
    async Task<SimilarityInput> ReadAsync(Assignment a, Submission s, CancellationToken ct)
    {
        var files = await archive.ReadTextFilesAsync(s.ArchiveKey, path => FamilyOf(a, path) is not null, MaxFileBytes, ct);
        return new SimilarityInput(s.Id, files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => new SourceFile(f.Path, f.Text, FamilyOf(a, f.Path)!.Value)).ToList());
    }

    static CodeFamily? FamilyOf(Assignment a, string path) =>
        CodeTokenizer.FamilyOfPath(path) ?? (Path.GetExtension(path).Length == 0 ? CodeTokenizer.FamilyOfLanguage(a.Language) : null);

    static List<SourceFile> Starter(Assignment a) =>
        (JsonSerializer.Deserialize<List<StarterFile>>(a.StarterFilesJson, JsonSerializerOptions.Web) ?? [])
            .Where(f => f.Path is not null && f.Content is not null && FamilyOf(a, f.Path) is not null)
            .Select(f => new SourceFile(f.Path!, f.Content!, FamilyOf(a, f.Path!)!.Value)).ToList();
}
