using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// What a portal post came to, said once on the page it redirects to. It travels in TempData (the data-protected
/// cookie), not the address: a crafted link or a reload must not announce a cancel that did not just happen. It is
/// bound to the business and the item acted on (an appointment, a pet), so another business's portal, or another
/// appointment's page in the same browser, never shows it. Each page says only the outcomes it knows (a pet's on My
/// pets, a cancel's on My appointments); another's is dropped unsaid.
/// </summary>
public static class PortalNotice
{
    private const string Key = "Ol.Notice";

    public static void Keep(ITempDataDictionary tempData, Guid tenantId, Guid itemId, string outcome) =>
        tempData[Key] = $"{tenantId:N}|{itemId:N}|{outcome}";

    /// <summary>The outcome kept for this business (and this item, when given), read once; else null.</summary>
    public static string? Take(ITempDataDictionary tempData, Guid tenantId, Guid? itemId = null)
    {
        if (tempData.Peek(Key) is not string kept || kept.Split('|') is not [var tenant, var item, var outcome]
            || tenant != tenantId.ToString("N") || itemId is { } id && item != id.ToString("N"))
        {
            return null;
        }

        tempData.Remove(Key);
        return outcome;
    }
}

/// <summary>
/// After a registration that gave a mobile, where the business offers phone sign-in: once, on the next portal page the
/// client sees (whichever the registration led to), how to make that mobile one to sign in with: verify it. Said alike
/// whether or not the number was on file (the registration never tells; its code does). Bound, as
/// <see cref="PortalNotice"/>, to the business and the client, in TempData.
/// </summary>
public static class VerifyMobileNotice
{
    private const string Key = "Ol.VerifyMobile";

    public static void Keep(ITempDataDictionary tempData, Guid tenantId, Guid clientId) =>
        tempData[Key] = $"{tenantId:N}|{clientId:N}";

    /// <summary>Whether the notice waits for this business's client; read without using it up (<see cref="Forget"/> does, once shown).</summary>
    public static bool Waits(ITempDataDictionary tempData, Guid tenantId, Guid clientId) =>
        tempData.Peek(Key) is string kept && kept == $"{tenantId:N}|{clientId:N}";

    public static void Forget(ITempDataDictionary tempData) => tempData.Remove(Key);
}
