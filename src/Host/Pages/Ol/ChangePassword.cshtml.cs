using Booking.BuildingBlocks.Security;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Passwords;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/change-password: a signed-in client changes their password (ChangePassword, as POST
/// /api/v1/portal/auth/change-password): the current one is needed (wrong ones are counted for this session, so a
/// lockout others caused on the address does not refuse it), other devices are signed out, this one stays and gets a
/// new device cookie (the old ones were made under the old password).
/// </summary>
public sealed class ChangePasswordModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override string? SignInMethod => "email";

    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public bool Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken cancellationToken)
    {
        try
        {
            var set = await Sender.Send(new ChangePassword(Input.CurrentPassword, Input.NewPassword)
            {
                ClientId = ClientId!.Value,
                CurrentSession = PortalSessions.CurrentKey(HttpContext),
            }, cancellationToken);
            devices.Keep(HttpContext, DeviceArea.Portal, set.DeviceToken);
            Done = true;
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
        }

        Input = new PasswordInput(); // never echo a password back into the page
        return Page();
    }

    public sealed class PasswordInput
    {
        public string? CurrentPassword { get; set; }

        public string? NewPassword { get; set; }
    }
}
