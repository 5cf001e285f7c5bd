using Booking.BuildingBlocks.Security;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Passwords;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>The page the PasswordResetRequested email links to: /ol/reset-password?name=&amp;token=.</summary>
public sealed class ResetPasswordModel : PortalPageModel
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "email";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>
    /// Where the client was going when they asked for the link (the reset email carries it): "Sign in" afterwards and
    /// "Ask for a new link" keep it, checked here again (<see cref="PortalPageModel.ReturnTo"/>); a link edited to carry
    /// anything else keeps nothing.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The return address when this business's portal rule accepts it, else null.</summary>
    public string? Return => ReturnTo(ReturnUrl);

    [BindProperty]
    public ResetInput Input { get; set; } = new();

    public bool Done { get; private set; }

    /// <summary>
    /// The reset claimed the account (its email proven for the first time, decision 262) and took this mobile (last three
    /// digits) off phone sign-in: the page says so.
    /// </summary>
    public string? RemovedMobileEnding { get; private set; }

    /// <summary>The link was used already or has expired: no form, a way to ask for a new one.</summary>
    public bool LinkDead { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        LinkDead = await ResetPasswordPost.LinkDeadAsync(Token, Usable(cancellationToken));

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken cancellationToken)
    {
        var outcome = await ResetPasswordPost.SendAsync(ModelState, Token,
            async () =>
            {
                var set = await Sender.Send(new ResetPassword(Token, Input.NewPassword), cancellationToken);
                devices.Keep(HttpContext, DeviceArea.Portal, set.DeviceToken);
                RemovedMobileEnding = set.RemovedMobileEnding;
            },
            Usable(cancellationToken));
        (Done, LinkDead) = (outcome == ResetPasswordOutcome.Done, outcome == ResetPasswordOutcome.LinkDead);
        Input.NewPassword = null;
        return Page();
    }

    private Func<string, Task<bool>> Usable(CancellationToken cancellationToken) => async token => await Sender.Send(new CheckResetLink(token), cancellationToken);

    public sealed class ResetInput
    {
        public string? NewPassword { get; set; }
    }
}
