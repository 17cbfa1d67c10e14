//! The widget's components, one per file.

mod app;
mod badge;
mod booking;
mod manage;
mod rating;
mod review_form;
mod review_item;
mod reviews;
mod shop_card;
mod slot_picker;
mod status;

pub use app::App;
