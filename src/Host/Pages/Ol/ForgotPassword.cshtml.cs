using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Passwords;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

public sealed class ForgotPasswordModel : PortalPageModel
{
    protected override string? SignInMethod => "email";

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
