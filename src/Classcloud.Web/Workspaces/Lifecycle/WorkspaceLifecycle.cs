namespace Classcloud.Web.Workspaces;

/// <summary>
/// Where a workspace is in its life (DESIGN.md §2 "Workspaces", seed 000 §3.3.6). Stored as its lowercase
/// name; <see cref="WorkspaceLifecycle"/> says what may happen in each.
/// </summary>
public enum WorkspaceState
{
    Creating,
    Stopped,
    /// <summary>A start: waiting for capacity (<see cref="Workspace.QueuedAt"/> set) or being started by its job.</summary>
    Starting,
    Running,
    /// <summary>Frozen while idle: memory kept, no CPU (the engine's pause).</summary>
    Suspended,
    Stopping,
    Saving,
    /// <summary>Its container died while it was meant to run; the reconciler is bringing it back.</summary>
    Restarting,
    Error,
}

/// <summary>What a person can ask of a workspace; the first five are state changes carried out by a job.</summary>
public enum WorkspaceAction
{
    Start,
    Stop,
    Save,
    Delete,
    Connect,
    Edit,
    Export,
}

/// <summary>
/// The workspace lifecycle in one table: which action is allowed in which state and where it leads. The API
/// (<see cref="WorkspaceActions"/>), the pages' action lists (<see cref="WorkspaceWords.Actions"/>) and recovery
/// after a restart (<see cref="WorkspaceWorker"/>) all read it; nothing else decides.
/// </summary>
public static class WorkspaceLifecycle
{
    /// <summary>An allowed move: from these states, to <see cref="To"/> (null: the action changes no state).</summary>
    public sealed record Transition(WorkspaceAction Action, IReadOnlySet<WorkspaceState> From, WorkspaceState? To);

    static readonly Transition[] Table =
    [
        new(WorkspaceAction.Start, Set(WorkspaceState.Stopped, WorkspaceState.Error), WorkspaceState.Starting),
        // Restarting: the controller is bringing it back, and the owner may rather have it stopped.
        new(WorkspaceAction.Stop, Set(WorkspaceState.Running, WorkspaceState.Suspended, WorkspaceState.Restarting), WorkspaceState.Stopping),
        new(WorkspaceAction.Save, Set(WorkspaceState.Stopped), WorkspaceState.Saving),
        // A delete keeps the state it fails in (error) until the row is gone; Workspace.Deleting marks it.
        new(WorkspaceAction.Delete, Set(WorkspaceState.Stopped, WorkspaceState.Error), WorkspaceState.Error),
        new(WorkspaceAction.Connect, Set(WorkspaceState.Running, WorkspaceState.Suspended), null),
        new(WorkspaceAction.Edit, Set(WorkspaceState.Stopped, WorkspaceState.Error), null),
        new(WorkspaceAction.Export, Set(WorkspaceState.Stopped), null),
    ];

    /// <summary>The row of <paramref name="action"/>.</summary>
    public static Transition Of(WorkspaceAction action) => Table.Single(t => t.Action == action);

    /// <summary>
    /// Whether <paramref name="action"/> may be taken now. A workspace being deleted allows only the delete again;
    /// a start still waiting for capacity allows a stop (it leaves the queue).
    /// </summary>
    public static bool Allows(Workspace w, WorkspaceAction action)
    {
        if (w.Deleting)
        {
            return action == WorkspaceAction.Delete;
        }
        if (action == WorkspaceAction.Stop && IsQueued(w))
        {
            return true;
        }
        return Of(action).From.Contains(w.State);
    }

    /// <summary>A start waiting for capacity (first come, first served: <see cref="WorkspaceAdmission"/>).</summary>
    public static bool IsQueued(Workspace w) => w.State == WorkspaceState.Starting && w.QueuedAt is not null;

    /// <summary>States in which a job owns the workspace; no other action may start.</summary>
    public static bool IsTransitional(WorkspaceState state) =>
        state is WorkspaceState.Creating or WorkspaceState.Starting or WorkspaceState.Stopping or WorkspaceState.Saving;

    /// <summary>
    /// What recovery does with a workspace a previous run left mid-transition: run its job again (each is idempotent
    /// on the engine), or — for a save, whose push cannot resume — null (it returns to stopped with a reason).
    /// A start still queued for capacity is not a job yet and stays in the queue.
    /// </summary>
    public static WorkspaceJobKind? Recovery(Workspace w) => w.Deleting ? WorkspaceJobKind.Delete : w.State switch
    {
        WorkspaceState.Creating => WorkspaceJobKind.Create,
        WorkspaceState.Starting when w.QueuedAt is null => WorkspaceJobKind.Start,
        WorkspaceState.Stopping => WorkspaceJobKind.Stop,
        _ => null,
    };

    /// <summary>The action of a job kind (the API's words start, stop, save, delete).</summary>
    public static WorkspaceAction Action(WorkspaceJobKind job) => job switch
    {
        WorkspaceJobKind.Start => WorkspaceAction.Start,
        WorkspaceJobKind.Stop => WorkspaceAction.Stop,
        WorkspaceJobKind.Save => WorkspaceAction.Save,
        WorkspaceJobKind.Delete => WorkspaceAction.Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(job), job, "Creating is not a person's action."),
    };

    /// <summary>The stored and API word of a state: its lowercase name.</summary>
    public static string Word(WorkspaceState state) => state.ToString().ToLowerInvariant();

    /// <summary>The state a stored or API word names.</summary>
    public static WorkspaceState Parse(string word) => Enum.Parse<WorkspaceState>(word, ignoreCase: true);

    /// <summary>The API word of an action.</summary>
    public static string Word(WorkspaceAction action) => action.ToString().ToLowerInvariant();

    static HashSet<WorkspaceState> Set(params WorkspaceState[] states) => [.. states];
}
