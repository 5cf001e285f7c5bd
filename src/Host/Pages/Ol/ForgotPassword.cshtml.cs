using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Passwords;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

public sealed class ForgotPasswordModel : PortalPageModel
{
    protected override string? SignInMethod => "email";

    /// <summary>
    /// The sign-in page's return address, kept only for its "Back to sign in" link (each hop checks it with
    /// <see cref="PortalPageModel.ReturnTo"/>); it does not go into the reset email.
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
            await Sender.Send(new ForgotPassword(Input.Email) { Ip = HttpContext.ClientIp() }, cancellationToken);
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
