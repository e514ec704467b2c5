namespace Classcloud.Web.Gateway;

/// <summary>
/// What the terminal and desktop partials (_TerminalView, _DesktopView) need: which workspace,
/// whether the person controls it (view only hides the keyboard; the gateway enforces it anyway)
/// and an optional heading.
/// </summary>
public sealed record GatewayView(long WorkspaceId, bool CanControl, string? Title = null);
