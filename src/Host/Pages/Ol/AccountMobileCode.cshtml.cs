using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Sms;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/mobile/code: step 2 of proving a mobile (VerifyMyMobile, as POST /api/v1/portal/me/mobile/verify), with
/// phone sign-in's code form (<c>Shared/_CodeEntry.cshtml</c>), its states (<see cref="CodePageModel"/>: a text the
/// carrier refused or gave up on, why a code no longer works, a new code for an expired one) and its handling of wrong
/// and dead codes. The right code goes back to Your details, which says so once.
/// </summary>
public sealed class AccountMobileCodeModel(TimeProvider clock, IWebHostEnvironment environment, IConfiguration configuration, PortalAuthOptions options)
    : CodePageModel(clock, environment, configuration, options)
{
    protected override bool RequiresClient => true;

    protected override string? SignInMethod => "phone";

    /// <summary>This client's own attempt to prove a mobile, never another's.</summary>
    protected override Guid? AttemptClientId => ClientId!.Value;

    protected override bool SignsIn => false;

    public override string CodeAction => PortalUrl("/ol/account/mobile/code", ("attempt", Attempt), ("resendAt", ResendAt?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public override string ResendAction => PortalUrl("/ol/account/mobile/code", ("handler", "resend"), ("attempt", Attempt));

    public override string RestartUrl => PortalUrl("/ol/account/mobile");

    public override (string Url, string Text) StartAgain => (PortalUrl("/ol/account/mobile"), "Start again with a number");

    public override (string Url, string Text)? OrElse => (PortalUrl("/ol/account"), "back to your details");

    public static string CodeUrl(PortalPageModel page, CodeSent sent, TimeProvider clock) =>
        page.PortalUrl("/ol/account/mobile/code",
            ("attempt", sent.AttemptId.ToString()),
            ("resendAt", ResendClock.At(sent, clock)));

    public Task OnGetAsync(CancellationToken cancellationToken) => ReadForGetAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Sender.Send(new VerifyMyMobile(Attempt, Input.Code)
            {
                ClientId = ClientId!.Value,
                CurrentSession = PortalSessions.CurrentKey(HttpContext),
            }, cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, ClientId!.Value, AccountModel.MobileVerified);
            return Redirect(PortalUrl("/ol/account"));
        }
        catch (ValidationException ex) when (ex.Errors.Any(e => e.PropertyName == "mobile") && ModelState.TryAdd(ex, _ => ""))
        {
            // The right code, for a number another client signs in with: the code is used up; this page has no number field.
            Dead = true;
            Input.Code = null;
            return Page();
        }
        catch (Exception ex) when (CodeProblems.TryAdd(ModelState, ex, out var dead))
        {
            Dead = dead;
            Input.Code = null;
            await SayWhyDeadAsync(ex, cancellationToken);
            return Page();
        }
    }

    public Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken) =>
        ResendAsync(ct => Sender.Send(new ResendMyMobileCode(Attempt) { ClientId = ClientId!.Value, Ip = HttpContext.ClientIp() }, ct).AsTask(),
            sent => CodeUrl(this, sent, Clock), cancellationToken);
}
