namespace Classcloud.Web.Gateway;

/// <summary>
/// What the terminal and desktop partials (_TerminalView, _DesktopView) need: which workspace,
/// whether the person controls it (view only hides the keyboard; the gateway enforces it anyway)
/// and an optional heading. <see cref="Hand"/>: the owner of a course workspace can raise a hand for the teacher
/// (null: no hand button); its value is whether the hand is up now. <see cref="CanOperate"/>: the person may stop
/// and save the workspace (its owner, an administrator), so the bar offers Stop and Save; those in control also
/// get Upload and Download (<see cref="CanControl"/>), watchers none of the four.
/// </summary>
public sealed record GatewayView(long WorkspaceId, bool CanControl, string? Title = null, bool? Hand = null, bool CanOperate = false);
