//! One module per resource.

pub mod admin;
pub mod badge;
pub mod bookings;
pub mod line;
pub mod member_page;
pub mod members;
pub mod network;
pub mod notify;
pub mod reviews;
pub mod verify;
pub mod widget;
