using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Passwords;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

public sealed class ForgotPasswordModel : PortalPageModel
{
    protected override string? SignInMethod => "email";

    /// <summary>
    /// The sign-in page's return address, kept for "Back to sign in" and carried in the reset email's link (each hop
    /// checks it with <see cref="PortalPageModel.ReturnTo"/>; only an accepted address is sent on), so that signing in
    /// after the reset goes back where the client was going.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public ForgotInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Sender.Send(new ForgotPassword(Input.Email) { Ip = HttpContext.ClientIp(), ReturnUrl = ReturnTo(ReturnUrl) }, cancellationToken);
            Sent = true;
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
        }

        return Page();
    }

    public sealed class ForgotInput
    {
        public string? Email { get; set; }
    }
}
