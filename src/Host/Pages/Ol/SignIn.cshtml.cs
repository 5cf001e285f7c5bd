using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Features.SignIn;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

public sealed class SignInModel : PortalPageModel
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "email";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken cancellationToken)
    {
        try
        {
            var client = await Sender.Send(new PortalSignIn(Input.Email, Input.Password) { DeviceToken = devices.Presented(HttpContext, DeviceArea.Portal), Ip = HttpContext.ClientIp() }, cancellationToken);
            devices.Keep(HttpContext, DeviceArea.Portal, client.DeviceToken);
            return await SignedInAsync(client.Id, client.Standing, ReturnUrl, PortalSessions.ByEmail);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            Input.Password = null;
            return Page();
        }
    }

    public sealed class SignInInput
    {
        public string? Email { get; set; }

        public string? Password { get; set; }
    }
}
