//! The widget's string catalogue, in Traditional Chinese and English. Components take every
//! visible string from here.

use shared::{grouped, Locale, Reason};

/// All fixed strings of one language.
#[derive(Debug)]
pub struct Catalog {
    /// Shown while the shop's data loads.
    pub loading: &'static str,
    /// Label of the retry button.
    pub retry: &'static str,
    /// Shown while a part that loads on demand (booking, the review form) is fetched.
    pub part_loading: &'static str,
    /// That part could not be fetched.
    pub part_error: &'static str,
    /// Heading of every error state.
    pub error_title: &'static str,
    /// The edge could not be reached.
    pub network_error: &'static str,
    /// The edge failed.
    pub server_error: &'static str,
    /// The snippet names a shop that is not in the alliance.
    pub unknown_shop: &'static str,
    /// The snippet's shop id is malformed.
    pub invalid_shop: &'static str,
    /// A shop without reviews.
    pub no_reviews: &'static str,
    /// Membership is suspended.
    pub suspended: &'static str,
    /// Membership was revoked.
    pub revoked: &'static str,
    /// The badge is shown on a site the shop did not register.
    pub not_verified_here: &'static str,
    /// Explains the not-verified state.
    pub not_verified_hint: &'static str,
    /// Heading of the expandable standards.
    pub standards: &'static str,
    /// Link to the alliance's verification page.
    pub verify_link: &'static str,
    /// Note that the link opens a new tab.
    pub new_tab: &'static str,
    /// Heading of the review list.
    pub reviews_title: &'static str,
    /// Label of the sort control.
    pub sort_label: &'static str,
    /// Sort option.
    pub sort_newest: &'static str,
    /// Sort option.
    pub sort_highest: &'static str,
    /// Sort option.
    pub sort_lowest: &'static str,
    /// Label of the service filter.
    pub filter_label: &'static str,
    /// The filter's everything option.
    pub filter_all: &'static str,
    /// Button that loads more reviews.
    pub more: &'static str,
    /// Shown while reviews load.
    pub loading_reviews: &'static str,
    /// No review matches the filter.
    pub no_matching: &'static str,
    /// Reviews could not load.
    pub reviews_error: &'static str,
    /// Mark of a review of a visit booked and completed through the alliance.
    pub booked_visit: &'static str,
    /// Mark of a review the shop invited after a visit outside the alliance's booking.
    pub invited_visit: &'static str,
    /// Heading of the shop's reply.
    pub shop_reply: &'static str,
    /// Heading of the review form.
    pub write_title: &'static str,
    /// Legend of the star choice.
    pub stars_label: &'static str,
    /// Label of the review text.
    pub text_label: &'static str,
    /// Label of the service choice.
    pub service_label: &'static str,
    /// Label of the name field.
    pub author_label: &'static str,
    /// Button that publishes a review.
    pub submit: &'static str,
    /// Shown while publishing.
    pub submitting: &'static str,
    /// Shown after publishing.
    pub thanks: &'static str,
    /// Stars missing.
    pub err_stars: &'static str,
    /// Text too short.
    pub err_text_short: &'static str,
    /// Text too long.
    pub err_text_long: &'static str,
    /// Text has control characters.
    pub err_text_control: &'static str,
    /// Service missing.
    pub err_service: &'static str,
    /// Name missing.
    pub err_author: &'static str,
    /// Name too long.
    pub err_author_long: &'static str,
    /// Link used already.
    pub err_token_used: &'static str,
    /// Link expired.
    pub err_token_expired: &'static str,
    /// Link invalid.
    pub err_token_invalid: &'static str,
    /// Not on the shop's site.
    pub err_foreign: &'static str,
    /// Too many attempts.
    pub err_rate: &'static str,
    /// Anything else.
    pub err_generic: &'static str,
    /// Button that starts booking.
    pub book_cta: &'static str,
    /// Heading of the booking panel.
    pub book_title: &'static str,
    /// Step 1 heading.
    pub choose_service: &'static str,
    /// Step 2 heading.
    pub choose_time: &'static str,
    /// Step 3 heading.
    pub your_details: &'static str,
    /// Next step.
    pub next: &'static str,
    /// Previous step.
    pub back: &'static str,
    /// Close the booking panel.
    pub close: &'static str,
    /// Minutes unit.
    pub minutes: &'static str,
    /// Loading the calendar.
    pub loading_times: &'static str,
    /// Calendar failed.
    pub times_error: &'static str,
    /// A fully booked day.
    pub day_full: &'static str,
    /// A closed day.
    pub day_closed: &'static str,
    /// A taken time.
    pub slot_taken: &'static str,
    /// Prompt to pick a day.
    pub pick_day: &'static str,
    /// No times on the day.
    pub no_times: &'static str,
    /// Heading of the other members offered on a full day.
    pub offer_title: &'static str,
    /// While other members' times load.
    pub offer_loading: &'static str,
    /// No other member has times either.
    pub offer_none: &'static str,
    /// The shop lacks the service the page asked for; members that offer it follow.
    pub not_offered: &'static str,
    /// Before the name of the member a referral books with.
    pub booking_at: &'static str,
    /// Consent to counting visits across the alliance.
    pub count_visits: &'static str,
    /// Vehicle make.
    pub make: &'static str,
    /// Vehicle model.
    pub model: &'static str,
    /// Model year.
    pub year: &'static str,
    /// Plate.
    pub plate: &'static str,
    /// Mileage.
    pub mileage: &'static str,
    /// Wait or drop-off legend.
    pub handover: &'static str,
    /// Waits at the shop.
    pub wait: &'static str,
    /// Drops the car off.
    pub drop_off: &'static str,
    /// Customer name.
    pub name: &'static str,
    /// Phone.
    pub phone: &'static str,
    /// E-mail.
    pub email: &'static str,
    /// Notes.
    pub notes: &'static str,
    /// Consent.
    pub consent: &'static str,
    /// Submit.
    pub confirm_booking: &'static str,
    /// While booking.
    pub booking: &'static str,
    /// Confirmation heading.
    pub confirmed: &'static str,
    /// Reference label.
    pub reference: &'static str,
    /// Add to calendar.
    pub add_calendar: &'static str,
    pub get_line: &'static str,
    pub manage_line: &'static str,
    /// Manage link.
    pub manage: &'static str,
    /// Keep the link.
    pub manage_hint: &'static str,
    /// Slot taken meanwhile.
    pub err_slot_taken: &'static str,
    /// Too late / not changeable.
    pub err_conflict: &'static str,
    /// Manage link invalid.
    pub err_bad_link: &'static str,
    /// Generic field message.
    pub err_field: &'static str,
    /// A booking field left empty that may not be.
    pub err_required: &'static str,
    /// The vehicle's year.
    pub err_year: &'static str,
    /// The plate.
    pub err_plate: &'static str,
    /// The mileage.
    pub err_mileage: &'static str,
    /// The phone number.
    pub err_phone: &'static str,
    /// The e-mail address.
    pub err_email: &'static str,
    /// The consent box.
    pub err_consent: &'static str,
    /// Any other booking field that is too long.
    pub err_too_long: &'static str,
    /// Manage view heading.
    pub your_booking: &'static str,
    /// Status.
    pub status_confirmed: &'static str,
    /// Status.
    pub status_cancelled: &'static str,
    /// Status of a booking the shop marked completed.
    pub status_completed: &'static str,
    /// Cancel button.
    pub cancel_booking: &'static str,
    /// Confirm prompt.
    pub cancel_confirm: &'static str,
    /// Confirm yes.
    pub cancel_yes: &'static str,
    /// Confirm no.
    pub cancel_no: &'static str,
    /// After cancelling.
    pub cancelled_done: &'static str,
    /// Cut-off label.
    pub change_until: &'static str,
    /// Reschedule button.
    pub change_time: &'static str,
    /// After rescheduling.
    pub moved_done: &'static str,
    /// Data export link.
    pub export_data: &'static str,
    /// Erase button.
    pub erase_data: &'static str,
    /// Erase confirmation.
    pub erase_confirm: &'static str,
    /// After erasing.
    pub erased_done: &'static str,
}

static ZH_TW: Catalog = Catalog {
    loading: "正在載入店家資訊…",
    retry: "重試",
    part_loading: "載入中…",
    part_error: "這部分暫時無法載入，請檢查網路後重試。",
    error_title: "暫時無法顯示",
    network_error: "無法連線到聯盟服務，請檢查網路後重試。",
    server_error: "聯盟服務暫時出了問題，請稍後再試。",
    unknown_shop: "這家店目前不在聯盟的會員名單中。",
    invalid_shop: "小工具的店家代碼設定有誤，請通知店家。",
    no_reviews: "尚無評價，成為第一位評價的顧客吧。",
    suspended: "聯盟會員資格暫停中",
    revoked: "已不是聯盟會員",
    not_verified_here: "此徽章未在本網站通過驗證",
    not_verified_hint: "聯盟只為店家登記的網站驗證徽章。請到聯盟的查證頁面確認。",
    standards: "聯盟會員的承諾",
    verify_link: "到聯盟查證會員資格",
    new_tab: "（開新分頁）",
    reviews_title: "顧客評價",
    sort_label: "排序",
    sort_newest: "最新",
    sort_highest: "評分最高",
    sort_lowest: "評分最低",
    filter_label: "服務項目",
    filter_all: "全部服務",
    more: "更多評價",
    loading_reviews: "正在載入評價…",
    no_matching: "這個服務還沒有評價。",
    reviews_error: "評價暫時無法載入。",
    booked_visit: "經聯盟預約並完成",
    invited_visit: "店家於維修後邀請",
    shop_reply: "店家回覆",
    write_title: "分享您的消費經驗",
    stars_label: "您的評分",
    text_label: "評價內容（10 至 2000 字）",
    service_label: "消費項目",
    author_label: "您的稱呼（公開時會縮短，例如「王○○」）",
    submit: "送出評價",
    submitting: "送出中…",
    thanks: "謝謝您！評價已經公開。",
    err_stars: "請選擇 1 到 5 顆星。",
    err_text_short: "請至少寫 10 個字。",
    err_text_long: "請在 2000 字以內。",
    err_text_control: "內容含有無法使用的特殊字元。",
    err_service: "請選擇消費項目。",
    err_author: "請填寫您的稱呼。",
    err_author_long: "稱呼請在 40 字以內。",
    err_token_used: "這個評價連結已經使用過了。每次消費只能評價一次。",
    err_token_expired: "這個評價連結已過期（有效期 30 天）。請向店家索取新連結。",
    err_token_invalid: "這個評價連結無效，請確認是否完整複製。",
    err_foreign: "評價只能在店家自己的網站上填寫。",
    err_rate: "嘗試次數過多，請一小時後再試。",
    err_generic: "暫時無法送出，請稍後再試。",
    book_cta: "預約時段",
    book_title: "線上預約",
    choose_service: "1. 選擇服務",
    choose_time: "2. 選擇日期與時間",
    your_details: "3. 填寫車輛與聯絡資料",
    next: "下一步",
    back: "上一步",
    close: "關閉",
    minutes: "分鐘",
    loading_times: "正在載入可預約時段…",
    times_error: "時段暫時無法載入。",
    day_full: "額滿",
    day_closed: "無時段",
    slot_taken: "已約滿",
    pick_day: "請先選擇日期。",
    no_times: "這天沒有可預約的時段。",
    offer_title: "本店這天已額滿。附近的聯盟會員還有空位，可直接在這裡預約：",
    offer_loading: "正在查詢附近聯盟會員的空位…",
    offer_none: "附近的聯盟會員這天也沒有空位，請換一天。",
    not_offered: "本店沒有提供您要的服務。附近的聯盟會員有提供，可直接在這裡預約：",
    booking_at: "將預約在聯盟會員：",
    count_visits: "累計我在聯盟的來店次數（只保存電話號碼的加密雜湊，不保存號碼）",
    make: "廠牌",
    model: "車型",
    year: "年份",
    plate: "車牌號碼",
    mileage: "里程數（公里，選填）",
    handover: "等候方式",
    wait: "在店內等候",
    drop_off: "留車，完成後通知",
    name: "姓名",
    phone: "手機或市話",
    email: "電子郵件（選填）",
    notes: "備註（選填）",
    consent: "我同意店家依隱私權政策使用以上資料處理這次預約。",
    confirm_booking: "確認預約",
    booking: "預約中…",
    confirmed: "預約完成",
    reference: "預約代碼",
    add_calendar: "加入行事曆",
    get_line: "用 LINE 接收確認與提醒",
    manage_line: "LINE 通知：連結或取消連結",
    manage: "查看或取消預約",
    manage_hint: "請保存此連結，可在期限前自行取消或更改。",
    err_slot_taken: "這個時段剛被預約走了，請選擇其他時間。",
    err_conflict: "此預約已無法在線上更改，請直接致電店家。",
    err_bad_link: "這個預約連結無效或已過期。",
    err_field: "請檢查這個欄位。",
    err_required: "此欄必填。",
    err_year: "請填寫 1950 年到明年之間的年份。",
    err_plate: "請填寫車牌，例如 ABC-1234。",
    err_mileage: "請填寫公里數（數字）。",
    err_phone: "請填寫手機（09xx-xxx-xxx）、市話或 +國碼 的電話。",
    err_email: "電子郵件格式不正確。",
    err_consent: "需要您的同意才能預約。",
    err_too_long: "內容太長了。",
    your_booking: "您的預約",
    status_confirmed: "已確認",
    status_cancelled: "已取消",
    status_completed: "已完成",
    cancel_booking: "取消預約",
    cancel_confirm: "確定要取消這個預約嗎？",
    cancel_yes: "是，取消",
    cancel_no: "不要",
    cancelled_done: "預約已取消，時段已釋出。",
    change_until: "可線上更改至",
    change_time: "更改時間",
    moved_done: "已改到新的時間。",
    export_data: "下載我的資料",
    erase_data: "刪除我的個人資料",
    erase_confirm: "確定要刪除這筆預約中的個人資料嗎？尚未到期的預約會一併取消。",
    erased_done: "您的個人資料已刪除。",
};

static EN: Catalog = Catalog {
    loading: "Loading shop details…",
    retry: "Try again",
    part_loading: "Loading…",
    part_error: "This part couldn't load. Check your connection and try again.",
    error_title: "Can't show this right now",
    network_error: "Couldn't reach the alliance service. Check your connection and try again.",
    server_error: "The alliance service is having trouble. Please try again shortly.",
    unknown_shop: "This shop isn't currently listed as an alliance member.",
    invalid_shop: "This widget's shop code is set up wrongly. Please let the shop know.",
    no_reviews: "No reviews yet. Be the first to review this shop.",
    suspended: "Alliance membership suspended",
    revoked: "No longer an alliance member",
    not_verified_here: "This badge is not verified on this site",
    not_verified_hint: "The alliance verifies badges only on the shop's registered websites. Check on the alliance's verification page.",
    standards: "What every member promises",
    verify_link: "Check this membership with the alliance",
    new_tab: " (opens in a new tab)",
    reviews_title: "Customer reviews",
    sort_label: "Sort",
    sort_newest: "Newest",
    sort_highest: "Highest rated",
    sort_lowest: "Lowest rated",
    filter_label: "Service",
    filter_all: "All services",
    more: "More reviews",
    loading_reviews: "Loading reviews…",
    no_matching: "No reviews for this service yet.",
    reviews_error: "Reviews could not be loaded.",
    booked_visit: "Booked and completed through the alliance",
    invited_visit: "Invited by the shop after a visit",
    shop_reply: "Reply from the shop",
    write_title: "Review your visit",
    stars_label: "Your rating",
    text_label: "Your review (10 to 2000 characters)",
    service_label: "Service",
    author_label: "Your name (shown shortened, e.g. \"Alex C.\")",
    submit: "Publish review",
    submitting: "Publishing…",
    thanks: "Thank you! Your review is published.",
    err_stars: "Choose 1 to 5 stars.",
    err_text_short: "Please write at least 10 characters.",
    err_text_long: "Please keep it to 2000 characters.",
    err_text_control: "The text contains characters that can't be used.",
    err_service: "Choose the service.",
    err_author: "Please enter your name.",
    err_author_long: "Please use 40 characters or fewer.",
    err_token_used: "This review link has already been used. Each visit can be reviewed once.",
    err_token_expired: "This review link has expired (links last 30 days). Ask the shop for a new one.",
    err_token_invalid: "This review link isn't valid. Check that it was copied completely.",
    err_foreign: "Reviews can only be written on the shop's own website.",
    err_rate: "Too many attempts. Please try again in an hour.",
    err_generic: "Couldn't publish right now. Please try again shortly.",
    book_cta: "Book a visit",
    book_title: "Book a visit",
    choose_service: "1. Choose a service",
    choose_time: "2. Choose a day and time",
    your_details: "3. Your car and contact details",
    next: "Next",
    back: "Back",
    close: "Close",
    minutes: "min",
    loading_times: "Loading available times…",
    times_error: "Available times could not be loaded.",
    day_full: "Full",
    day_closed: "No times",
    slot_taken: "taken",
    pick_day: "Pick a day first.",
    no_times: "No times left on this day.",
    offer_title: "We are full this day. Nearby alliance members have free times you can book right here:",
    offer_loading: "Checking nearby alliance members…",
    offer_none: "No nearby member has free times this day either; please pick another day.",
    not_offered: "This shop does not offer the service you asked for. Nearby alliance members do, and you can book them right here:",
    booking_at: "Booking with alliance member:",
    count_visits: "Count my visits across the alliance (only a keyed hash of my phone number is kept, never the number)",
    make: "Make",
    model: "Model",
    year: "Year",
    plate: "Licence plate",
    mileage: "Mileage (km, optional)",
    handover: "While we work",
    wait: "I'll wait at the shop",
    drop_off: "I'll drop the car off",
    name: "Name",
    phone: "Phone",
    email: "E-mail (optional)",
    notes: "Notes for the shop (optional)",
    consent: "I agree the shop may use these details to handle this booking, as its privacy notice says.",
    confirm_booking: "Confirm booking",
    booking: "Booking…",
    confirmed: "You're booked",
    reference: "Reference",
    add_calendar: "Add to calendar",
    get_line: "Get the confirmation and reminder on LINE",
    manage_line: "LINE messages: link or unlink",
    manage: "View or cancel this booking",
    manage_hint: "Keep this link: you can cancel or change the booking online until the cut-off.",
    err_slot_taken: "Someone just took that time. Please pick another.",
    err_conflict: "This booking can no longer be changed online. Please call the shop.",
    err_bad_link: "This booking link isn't valid or has expired.",
    err_field: "Please check this field.",
    err_required: "This field is required.",
    err_year: "Enter a year from 1950 to next year.",
    err_plate: "Enter a plate like ABC-1234.",
    err_mileage: "Enter the mileage in km (a number).",
    err_phone: "Enter a Taiwan mobile (09xx-xxx-xxx), a landline or a +country number.",
    err_email: "That e-mail address doesn't look right.",
    err_consent: "Your consent is needed to book.",
    err_too_long: "That's too long.",
    your_booking: "Your booking",
    status_confirmed: "Confirmed",
    status_cancelled: "Cancelled",
    status_completed: "Completed",
    cancel_booking: "Cancel booking",
    cancel_confirm: "Cancel this booking?",
    cancel_yes: "Yes, cancel it",
    cancel_no: "No, keep it",
    cancelled_done: "Your booking is cancelled and the time is free again.",
    change_until: "Changeable online until",
    change_time: "Change time",
    moved_done: "Your booking has moved to the new time.",
    export_data: "Download my data",
    erase_data: "Delete my personal data",
    erase_confirm: "Delete the personal data of this booking? An upcoming booking is cancelled too.",
    erased_done: "Your personal data has been deleted.",
};

/// The catalogue for `locale`.
pub fn t(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::En => &EN,
        _ => &ZH_TW,
    }
}

/// "Verified member since {year}".
pub fn verified_since(locale: Locale, year: u16) -> String {
    match locale {
        Locale::En => format!("Verified member since {year}"),
        _ => format!("{year} 年起的認證會員"),
    }
}

/// The alliance-wide warranty.
pub fn warranty(locale: Locale, months: u16, km: u32) -> String {
    match locale {
        Locale::En => format!(
            "{months}-month / {} km warranty, honoured at any member",
            grouped(km)
        ),
        _ => format!("{months} 個月或 {} 公里保固，任一會員皆可保固", grouped(km)),
    }
}

/// The alliance-wide reputation line.
pub fn network(locale: Locale, members: u32, average: &str, reviews: u32) -> String {
    match locale {
        Locale::En => format!(
            "Alliance: {members} member shops, rated {average} from {} reviews",
            grouped(reviews)
        ),
        _ => format!(
            "聯盟共 {members} 家會員，整體評分 {average}（{} 則評價）",
            grouped(reviews)
        ),
    }
}

/// "{n} reviews".
pub fn review_count(locale: Locale, n: u32) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 review".to_owned(),
        (Locale::En, n) => format!("{} reviews", grouped(n)),
        (_, n) => format!("{} 則評價", grouped(n)),
    }
}

/// How the counted reviews' visits are known: booked through the alliance, or invited.
pub fn provenance_counts(locale: Locale, booked: u32, invited: u32) -> String {
    match locale {
        Locale::En => format!(
            "{} booked and completed through the alliance · {} invited by the shop after a visit",
            grouped(booked),
            grouped(invited)
        ),
        _ => format!(
            "{} 則經聯盟預約並完成 · {} 則由店家於維修後邀請",
            grouped(booked),
            grouped(invited)
        ),
    }
}

/// Text equivalent of one review's stars.
pub fn stars_text(locale: Locale, n: u8) -> String {
    match locale {
        Locale::En => format!("{n} out of 5 stars"),
        _ => format!("{n} 顆星（滿分 5 顆）"),
    }
}

/// One histogram row's label, e.g. "5 stars: 8 reviews".
pub fn histogram_row(locale: Locale, stars: u8, n: u32) -> String {
    match locale {
        Locale::En => format!("{stars} stars: {}", review_count(locale, n)),
        _ => format!("{stars} 星：{}", review_count(locale, n)),
    }
}

/// A star choice in the review form.
pub fn star_choice(locale: Locale, n: u8) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 star".into(),
        (Locale::En, n) => format!("{n} stars"),
        (_, n) => format!("{n} 顆星"),
    }
}

/// The public placeholder of a hidden review.
pub fn hidden_placeholder(locale: Locale, reason: shared::HideReason) -> String {
    use shared::HideReason::*;
    let (zh, en) = match reason {
        Abuse => ("不當言論", "abusive language"),
        PersonalData => ("含有個人資料", "personal data"),
        Spam => ("廣告或垃圾訊息", "spam"),
        _ => ("與消費經驗無關", "off-topic"),
    };
    match locale {
        Locale::En => format!("Hidden by the alliance: {en}"),
        _ => format!("已由聯盟隱藏：{zh}"),
    }
}

/// The note that hidden reviews are not counted.
pub fn hidden_note(locale: Locale, n: u32) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 review hidden by the alliance is not counted.".into(),
        (Locale::En, n) => format!("{n} reviews hidden by the alliance are not counted."),
        (_, n) => format!("另有 {n} 則評價經聯盟隱藏，不計入評分。"),
    }
}

/// A date in the shop's time zone `zone`, as each language writes it ("2026年11月25日",
/// "Nov 25, 2026"): the same on the edge (which runs in UTC) and in every visitor's browser,
/// so the edge's first view and the widget that hydrates it agree. On the edge, from the shared
/// crate's time-zone database: an isolate's first `Intl` formatter costs it ≈ 17 ms (its locale
/// data), which a cold isolate's first view would pay.
#[cfg(feature = "ssr")]
pub fn date(locale: Locale, rfc3339: &str, zone: &str) -> String {
    shared::local_date(rfc3339, zone)
        .map(|(y, m, d)| ymd(locale, y as u32, m as u32, d as u32))
        .unwrap_or_default()
}

/// [`date`] in the browser: one `Intl` formatter per zone, made on first use and kept (the
/// first costs tens of milliseconds on a slow phone; the browser carries the zone data).
#[cfg(not(feature = "ssr"))]
pub fn date(locale: Locale, rfc3339: &str, zone: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return String::new();
    }
    thread_local! {
        static DAY: std::cell::RefCell<Option<(String, js_sys::Intl::DateTimeFormat)>> =
            const { std::cell::RefCell::new(None) };
    }
    let parts = DAY.with_borrow_mut(|cached| {
        let format = match cached {
            Some((z, f)) if z == zone => f,
            _ => {
                let opts = js_sys::Object::new();
                for (k, v) in [
                    ("timeZone", zone),
                    ("year", "numeric"),
                    ("month", "numeric"),
                    ("day", "numeric"),
                ] {
                    let _ = js_sys::Reflect::set(&opts, &k.into(), &v.into());
                }
                let tags = js_sys::Array::of1(&"en-US".into());
                &mut cached
                    .insert((
                        zone.to_owned(),
                        js_sys::Intl::DateTimeFormat::new(&tags, &opts),
                    ))
                    .1
            }
        };
        format.format_to_parts(&d)
    });
    let mut ymd_parts = [0u32; 3];
    for part in parts.iter() {
        let field = |k: &str| {
            js_sys::Reflect::get(&part, &k.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let slot = match field("type").as_deref() {
            Some("year") => 0,
            Some("month") => 1,
            Some("day") => 2,
            _ => continue,
        };
        ymd_parts[slot] = field("value").and_then(|v| v.parse().ok()).unwrap_or(0);
    }
    let [year, month, day] = ymd_parts;
    ymd(locale, year, month, day)
}

/// Year, month (1–12) and day as `date` writes them.
fn ymd(locale: Locale, year: u32, month: u32, day: u32) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match locale {
        Locale::En => {
            let name = MONTHS[(month.clamp(1, 12) - 1) as usize];
            format!("{name} {day}, {year}")
        }
        _ => format!("{year}年{month}月{day}日"),
    }
}

/// The visitor-facing message for a field error from the shared validation.
pub fn field_message(locale: Locale, e: &shared::FieldError) -> &'static str {
    let c = t(locale);
    match e.field.as_str() {
        "stars" => c.err_stars,
        "text" => match e.reason {
            Reason::ControlCharacters => c.err_text_control,
            Reason::TooLong { .. } => c.err_text_long,
            _ => c.err_text_short,
        },
        "service" => c.err_service,
        "author" => match e.reason {
            Reason::TooLong { .. } => c.err_author_long,
            _ => c.err_author,
        },
        _ => c.err_generic,
    }
}

/// A day button's label, e.g. "Tue 12/1" / "12/1（二）".
pub fn day_label(locale: Locale, date: &str, weekday: u8) -> String {
    let (m, d) = (
        date.get(5..7).unwrap_or("").trim_start_matches('0'),
        date.get(8..10).unwrap_or("").trim_start_matches('0'),
    );
    let zh = ["一", "二", "三", "四", "五", "六", "日"];
    let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = usize::from(weekday.clamp(1, 7) - 1);
    match locale {
        Locale::En => format!("{} {m}/{d}", en[i]),
        _ => format!("{m}/{d}（{}）", zh[i]),
    }
}

/// The note that times are in the shop's zone, when the visitor's differs.
pub fn zone_note(locale: Locale, zone: &str) -> String {
    match locale {
        Locale::En => format!("Times are in the shop's time zone ({zone})."),
        _ => format!("時間以店家所在時區（{zone}）顯示。"),
    }
}

/// Distance, rating and review count of a member offered on a full day.
pub fn offer_line(locale: Locale, km: f64, rating: &str, reviews: u32) -> String {
    // Tenths by integer arithmetic: float formatting would add kilobytes to the module.
    let tenths = (km * 10.0 + 0.5) as u32;
    let km = format!("{}.{}", tenths / 10, tenths % 10);
    match locale {
        Locale::En => format!("{km} km away · ★ {rating} ({reviews} reviews)"),
        _ => format!("距離 {km} 公里 · ★ {rating}（{reviews} 則評價）"),
    }
}

/// The confirmation's line for a returning customer who agreed to be counted.
pub fn alliance_visit(locale: Locale, n: u32) -> String {
    let p = shared::visit_progress(n);
    match locale {
        Locale::En if p.trusted => {
            format!("Your visit no. {n} with the alliance: thank you for your trust.")
        }
        Locale::En if p.to_regular == 0 => {
            format!("Your visit no. {n} with the alliance: you are a regular.")
        }
        Locale::En => format!(
            "Your visit no. {n} with the alliance ({} more to become a regular).",
            p.to_regular
        ),
        _ if p.trusted => format!("這是您在聯盟的第 {n} 次來店，謝謝您的信任。"),
        _ if p.to_regular == 0 => format!("這是您在聯盟的第 {n} 次來店，您已是聯盟常客。"),
        _ => format!(
            "這是您在聯盟的第 {n} 次來店（再 {} 次成為聯盟常客）。",
            p.to_regular
        ),
    }
}

/// A date and time in the visitor's locale, shown in `zone`.
pub fn date_time(locale: Locale, ms: u64, zone: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let opts = js_sys::Object::new();
    for (k, v) in [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("weekday", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("timeZone", zone),
    ] {
        let _ = js_sys::Reflect::set(&opts, &k.into(), &v.into());
    }
    d.to_locale_string(locale.tag(), &opts).into()
}

/// Text equivalent of the star graphic: "Rated 4.6 out of 5".
pub fn rated(locale: Locale, average: &str) -> String {
    match locale {
        Locale::En => format!("Rated {average} out of 5"),
        _ => format!("評分 {average}（滿分 5 分）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        assert_eq!(ymd(Locale::ZhTw, 2026, 11, 25), "2026年11月25日");
        assert_eq!(ymd(Locale::En, 2026, 11, 25), "Nov 25, 2026");
        assert_eq!(ymd(Locale::En, 2027, 1, 3), "Jan 3, 2027");
    }

    #[test]
    fn both_catalogues_say_something_for_every_state() {
        for c in [t(Locale::ZhTw), t(Locale::En)] {
            for s in [
                c.loading,
                c.retry,
                c.network_error,
                c.unknown_shop,
                c.not_verified_here,
                c.revoked,
                c.suspended,
                c.offer_title,
                c.offer_none,
                c.count_visits,
                c.err_required,
                c.err_year,
                c.err_plate,
                c.err_mileage,
                c.err_phone,
                c.err_email,
                c.err_consent,
                c.err_too_long,
            ] {
                assert!(!s.is_empty());
            }
        }
    }

    /// Every visible string comes from the catalogue: no component holds Chinese text, and no
    /// `view!` writes a text node as a literal (the honeypot's label, hidden from people and
    /// from assistive technology, is the one exception).
    #[test]
    fn no_visible_string_lives_outside_the_catalogue() {
        macro_rules! components {
            ($($file:literal),*) => {
                [$(($file, include_str!(concat!("components/", $file)))),*]
            };
        }
        let sources = components!(
            "app.rs",
            "badge.rs",
            "booking.rs",
            "deferred.rs",
            "manage.rs",
            "mod.rs",
            "rating.rs",
            "review_form.rs",
            "review_item.rs",
            "reviews.rs",
            "shop_card.rs",
            "slot_picker.rs",
            "status.rs"
        );
        // A component added later must be scanned too, or this fails.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/components");
        let files = std::fs::read_dir(dir).unwrap().count();
        assert_eq!(files, sources.len(), "every file in {dir} is in this list");
        let cjk = |c: char| {
            ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{30ff}').contains(&c)
        };
        for (name, source) in sources {
            for (n, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                assert!(
                    !code.chars().any(cjk),
                    "{name}:{}: Chinese text outside the catalogue: {line}",
                    n + 1
                );
                // Text after a tag's `>` (not an arrow's `=>` or `->`).
                let tags = code
                    .match_indices('>')
                    .filter(|(i, _)| !matches!(code[..*i].chars().last(), Some('=' | '-')));
                for (i, _) in tags {
                    let Some(rest) = code[i + 1..].trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let literal = rest.split('"').next().unwrap_or("");
                    let letters = literal.chars().filter(|c| c.is_alphabetic()).count();
                    assert!(
                        letters < 3 || literal == "Website",
                        "{name}:{}: a text node written as a literal, not from the catalogue: {literal:?}",
                        n + 1
                    );
                }
            }
        }
    }
}
