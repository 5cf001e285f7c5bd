using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.StaffPasswordReset;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>The page the StaffPasswordResetRequested email links to: /staff/reset-password?name=&amp;token=.</summary>
public sealed class ResetPasswordModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public ResetInput Input { get; set; } = new();

    public bool Done { get; private set; }

    /// <summary>The link was used already or has expired (or is another business's): no form, a way to ask for a new one.</summary>
    public bool LinkDead { get; private set; }

    public string FormAction => $"{StaffUrl("/staff/reset-password")}&token={Uri.EscapeDataString(Token ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct))
        {
            LinkDead = await ResetPasswordPost.LinkDeadAsync(Token, Usable(ct));
        }
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Page();
        }

        var outcome = await ResetPasswordPost.SendAsync(ModelState, Token,
            async () => devices.Keep(HttpContext, DeviceArea.Staff, (await Sender.Send(new ResetStaffPassword(Token, Input.NewPassword), ct)).DeviceToken),
            Usable(ct));
        (Done, LinkDead) = (outcome == ResetPasswordOutcome.Done, outcome == ResetPasswordOutcome.LinkDead);
        Input.NewPassword = null;
        return Page();
    }

    private Func<string, Task<bool>> Usable(CancellationToken ct) => async token => await Sender.Send(new CheckStaffResetLink(token), ct);

    public sealed class ResetInput
    {
        [Display(Name = "New password")]
        public string? NewPassword { get; set; }
    }
}
