using System.Globalization;
using System.Text;
using Classcloud.Web.Assignments.Pages;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// What <c>classcloud</c> prints, worded on the server in the reader's language: the list, the tree, the guide,
/// the way to a folder, "submit" and "status". An assignment is named by its number in the list (the course's
/// assignments the caller may see, by due time, as the pages list them) or by its folder name.
/// </summary>
public sealed class WorkspaceCliCommands(AssignmentService assignments, SubmissionService submissions, IOptions<WorkspacesOptions> workspaces)
{
    static string T(string text, params object?[] args) => Sentences.Format(text, args);

    public async Task<Outcome<string>> ListAsync(WorkspaceCliCaller who, CancellationToken ct)
    {
        var list = await assignments.ListAsync(who.Caller, who.CourseId, ct);
        if (!list.Succeeded)
        {
            return list.Problem!;
        }
        var text = new StringBuilder();
        text.Append("=====\n").Append(T("The assignments of this course")).Append("\n=====\n");
        if (list.Value!.Count == 0)
        {
            text.Append(T("No assignment is open yet.")).Append('\n');
        }
        for (var i = 0; i < list.Value.Count; i++)
        {
            var a = list.Value[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {a.Slug}  {a.Title}  [{T(AssignmentLabels.State(a.State))}]  ")
                .Append(T("due {0}", When(a.MyDueAt ?? a.DueAt))).Append('\n');
        }
        text.Append("=====\n").Append(T("Go to an assignment's folder with: classcloud go <number>")).Append('\n');
        return text.ToString();
    }

    public async Task<Outcome<string>> TreeAsync(WorkspaceCliCaller who, CancellationToken ct)
    {
        var list = await assignments.ListAsync(who.Caller, who.CourseId, ct);
        if (!list.Succeeded)
        {
            return list.Problem!;
        }
        var text = new StringBuilder("~/assignments/\n");
        for (var i = 0; i < list.Value!.Count; i++)
        {
            var a = list.Value[i];
            var last = i == list.Value.Count - 1;
            text.Append(last ? "└── " : "├── ").Append(CultureInfo.InvariantCulture, $"{a.Slug}/  ({i + 1}) {a.Title}\n");
            var files = new[] { "README.md" }.Concat(a.StarterFiles.Select(f => f.Path ?? "").Where(p => p.Length > 0 && p != "README.md")).ToList();
            for (var j = 0; j < files.Count; j++)
            {
                text.Append(last ? "    " : "│   ").Append(j == files.Count - 1 ? "└── " : "├── ").Append(files[j]).Append('\n');
            }
        }
        return text.ToString();
    }

    public static string Guide() => "=====\n" + T("Classcloud guide") + "\n=====\n"
        + T("1. classcloud -l lists the assignments of this course with a number each.\n2. classcloud go <number> takes you to the assignment's folder under ~/assignments.\n3. Write your solution there; classcloud test <number> runs the visible tests here and shows what differs.\n4. classcloud submit <number> hands in the folder as it is now; the latest submission before the due time counts, and the folder is also collected at the due time.\n5. classcloud status shows what you handed in and, once released, your score.")
        + "\n=====\n";

    public static string Help() => T("How to use classcloud, the assignments command of this workspace")
        + "\n\n" + T("USAGE") + "\n  classcloud <command> [number]\n\n" + T("COMMANDS") + "\n"
        + "  -l, assignments     " + T("List the assignments of this course") + "\n"
        + "  -t, tree            " + T("List the assignments as a tree of folders") + "\n"
        + "  -g, guide           " + T("Show the guide") + "\n"
        + "  -m, go <number>     " + T("Go to the assignment's folder") + "\n"
        + "  test <number>       " + T("Run the visible tests here and show the differences") + "\n"
        + "  submit <number>     " + T("Submit the assignment's folder now") + "\n"
        + "  status              " + T("Show your submissions and released scores") + "\n"
        + "  -h, help            " + T("Show this help") + "\n";

    /// <summary>The absolute folder of an assignment (the shell function changes into it).</summary>
    public async Task<Outcome<string>> PathAsync(WorkspaceCliCaller who, string which, CancellationToken ct)
    {
        var found = await FindAsync(who, which, ct);
        return found.Succeeded ? $"{workspaces.Value.HomePath.TrimEnd('/')}/assignments/{found.Value!.Slug}\n" : found.Problem!;
    }

    public async Task<Outcome<string>> GoAsync(WorkspaceCliCaller who, string which, CancellationToken ct)
    {
        var path = await PathAsync(who, which, ct);
        return path.Succeeded ? $"=====\n{T("Run this in your terminal")}\n=====\n> cd \"{path.Value!.TrimEnd('\n')}\"\n=====\n" : path.Problem!;
    }

    public async Task<Outcome<string>> SubmitAsync(WorkspaceCliCaller who, string which, CancellationToken ct)
    {
        var found = await FindAsync(who, which, ct);
        if (!found.Succeeded)
        {
            return found.Problem!;
        }
        var taken = await submissions.SubmitAsync(who.Caller, found.Value!.Id, ct);
        if (!taken.Succeeded)
        {
            return taken.Problem!;
        }
        var s = taken.Value!;
        return T("Submitted {0}: {1} files, {2} bytes, at {3}.", found.Value.Slug, s.FileCount, s.SizeBytes, When(s.TakenAt))
            + (s.Late ? " " + T("(late)") : "") + "\n" + T("Content hash: {0}", s.ContentHash) + "\n"
            + (s.Note is { Length: > 0 } note ? note + "\n" : "");
    }

    public async Task<Outcome<string>> StatusAsync(WorkspaceCliCaller who, CancellationToken ct)
    {
        var list = await assignments.ListAsync(who.Caller, who.CourseId, ct);
        if (!list.Succeeded)
        {
            return list.Problem!;
        }
        var text = new StringBuilder();
        for (var i = 0; i < list.Value!.Count; i++)
        {
            var a = list.Value[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {a.Slug}  [{T(AssignmentLabels.State(a.State))}]  ");
            text.Append(a.MySubmission is { } s
                ? T("last submitted {0}", When(s.TakenAt)) + (s.FinalScore is { } score ? "  " + T("score {0} of {1}", score, s.MaxScore) : "")
                : T("not submitted; due {0}", When(a.MyDueAt ?? a.DueAt)));
            text.Append('\n');
        }
        return text.Length == 0 ? T("No assignment is open yet.") + "\n" : text.ToString();
    }

    /// <summary>An assignment by its number in the list or its folder name, within the token's course only.</summary>
    public async Task<Outcome<AssignmentDto>> FindAsync(WorkspaceCliCaller who, string which, CancellationToken ct)
    {
        var list = await assignments.ListAsync(who.Caller, who.CourseId, ct);
        if (!list.Succeeded)
        {
            return list.Problem!;
        }
        var found = int.TryParse(which, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= list.Value!.Count
            ? list.Value[n - 1]
            : list.Value!.FirstOrDefault(a => a.Slug == which);
        return found is null ? Problem.NotFound("There is no assignment {0} here; classcloud -l lists them.", which) : found;
    }

    static string When(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
