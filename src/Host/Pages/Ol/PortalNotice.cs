using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// What a portal post came to, said once on the page it redirects to. It travels in TempData (the data-protected
/// cookie), not the address: a crafted link or a reload must not announce a cancel that did not just happen. It is
/// bound to the business and the appointment, so another business's portal, or another appointment's page in the
/// same browser, never shows it.
/// </summary>
public static class PortalNotice
{
    private const string Key = "Ol.Notice";

    public static void Keep(ITempDataDictionary tempData, Guid tenantId, Guid appointmentId, string outcome) =>
        tempData[Key] = $"{tenantId:N}|{appointmentId:N}|{outcome}";

    /// <summary>The outcome kept for this business (and this appointment, when given), read once; else null.</summary>
    public static string? Take(ITempDataDictionary tempData, Guid tenantId, Guid? appointmentId = null)
    {
        if (tempData.Peek(Key) is not string kept || kept.Split('|') is not [var tenant, var appointment, var outcome]
            || tenant != tenantId.ToString("N") || appointmentId is { } id && appointment != id.ToString("N"))
        {
            return null;
        }

        tempData.Remove(Key);
        return outcome;
    }
}
