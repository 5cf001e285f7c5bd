using Microsoft.AspNetCore.Mvc.Rendering;

namespace Booking.Host.Web;

/// <summary>
/// Whether the page being shown answers a post that failed (its model state holds errors). The portal and the staff
/// layouts both ask this, so a screen reader hears the same thing on both: the title starts "Error: " and the error
/// summary (Pages/Shared/_ErrorSummary.cshtml) comes first in &lt;main&gt;. A GET that shows errors (a search) is not a
/// failed post: nothing was sent that could be lost.
/// </summary>
public static class FailedPost
{
    public const string TitlePrefix = "Error: ";

    public static bool IsFailedPost(this ViewContext view) =>
        HttpMethods.IsPost(view.HttpContext.Request.Method) && !view.ViewData.ModelState.IsValid;
}
